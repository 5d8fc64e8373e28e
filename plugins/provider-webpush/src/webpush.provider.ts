import { createHash } from "node:crypto";
import webPush from "web-push";
import { ChannelRejectedError, type Clock, type Logger, type ProviderCall, type PushToken, type SendResult } from "@nudge/core";
import { PUSH, pushError, retryAfterMs, transportError, type PushPayload, type PushProvider } from "@nudge/channel-push";
import type { WebPushConfig } from "./config.js";
import { webPushError } from "./errors.js";
import { payloadOf, topicOf } from "./payload.js";

// A push message carries at most 4096 bytes of record, i.e. 3993 bytes of plaintext once the aes128gcm header
// (86), tag (16) and padding delimiter (1) are taken off (RFC 8291 §4, RFC 8188 §2).
const MAX_PLAINTEXT_BYTES = 3993;

/**
 * Web Push with VAPID. The web-push package encrypts the payload (RFC 8291, aes128gcm) and writes the
 * VAPID Authorization and TTL/Urgency/Topic headers (`generateRequestDetails`); the POST itself goes
 * through fetch because web-push's own sender only speaks https and reports through console, and fetch
 * gives the same timeouts and error mapping as the other providers. RFC 8030 has no idempotency key (a
 * Topic replaces a message still queued, it does not dedupe one delivered), so "none".
 */
export class WebPushProvider implements PushProvider {
  readonly id = "webpush";
  readonly channel = PUSH;
  readonly idempotency = "none" as const;
  readonly platforms = ["web"] as const;

  constructor(
    private readonly config: WebPushConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Builds a VAPID header once: malformed keys or subject fail `nudge.start()`. */
  async init(): Promise<void> {
    const { subject, publicKey, privateKey } = this.config.vapid;
    webPush.getVapidHeaders("https://push.example.com", subject, publicKey, privateKey, "aes128gcm");
  }

  /** A subscription has keys; a web token without them is a Firebase token, for FCM. */
  accepts(device: PushToken): boolean {
    return device.keys !== undefined;
  }

  payloadSize({ payload }: ProviderCall<PushPayload>): { bytes: number; limit: number } {
    return { bytes: Buffer.byteLength(JSON.stringify(payloadOf(payload))), limit: MAX_PLAINTEXT_BYTES };
  }

  async send({ to, payload }: ProviderCall<PushPayload>): Promise<SendResult> {
    const dead = (code: string, message: string) => pushError("dead", { code, message, token: to });
    if (!payload.keys) throw dead("NO_SUBSCRIPTION_KEYS", "a web subscription needs its p256dh and auth keys");
    const scheme = /^(https?):\/\//.exec(to)?.[1];
    if (scheme !== "https" && !(scheme === "http" && this.config.allowInsecureEndpoints)) throw dead("BAD_ENDPOINT", "a Web Push endpoint must be an https URL");
    let details: ReturnType<typeof webPush.generateRequestDetails>;
    try {
      details = webPush.generateRequestDetails({ endpoint: to, keys: payload.keys }, JSON.stringify(payloadOf(payload)), {
        vapidDetails: this.config.vapid,
        TTL: payload.ttlSeconds ?? this.config.defaultTtlSeconds,
        urgency: payload.priority === "high" ? "high" : "normal",
        contentEncoding: "aes128gcm",
        ...(payload.collapseKey !== undefined ? { topic: topicOf(payload.collapseKey) } : {}),
      });
    } catch (e) {
      // web-push throws here for keys that are not valid P-256 / 16-byte values: the subscription is broken.
      throw pushError("dead", { code: "BAD_SUBSCRIPTION_KEYS", message: e instanceof Error ? e.message : String(e), token: to, cause: e });
    }
    let res: Response;
    let text: string;
    try {
      const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
      res = await fetch(details.endpoint, { method: "POST", headers, body: details.body ?? undefined, signal: AbortSignal.timeout(this.config.timeoutMs), redirect: "error" });
      text = await res.text();
    } catch (e) {
      throw transportError(e, "the push service");
    }
    if (res.status >= 200 && res.status < 300) {
      return { providerMessageId: res.headers.get("location") ?? `webpush:${createHash("sha256").update(to).digest("hex").slice(0, 16)}`, status: "sent" };
    }
    const error = webPushError(res.status, text, retryAfterMs(res.headers.get("retry-after"), this.clock.now()), to);
    if (error instanceof ChannelRejectedError) this.logger.warn({ status: res.status }, "the push service refused a message");
    throw error;
  }
}
