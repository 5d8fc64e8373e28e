import { createHash } from "node:crypto";
import webPush from "web-push";
import type { Clock } from "@nudge/core";
import type { WebPushConfig } from "../config.js";
import type { ResolvedPush } from "../content.js";
import { failure, failureFromError, retryAfterMs, webPushFailure, type DeviceOutcome } from "../errors.js";
import type { DeviceSend, PushProvider } from "./push-provider.js";

/**
 * Web Push with VAPID. The web-push package encrypts the payload (RFC 8291, aes128gcm) and writes the
 * VAPID Authorization and TTL/Urgency/Topic headers (`generateRequestDetails`); the POST itself goes
 * through fetch because web-push's own sender only speaks https and reports through console, and fetch
 * gives the same timeouts and error mapping as the other providers.
 */
export class WebPushProvider implements PushProvider {
  readonly name = "webpush";

  constructor(
    private readonly config: WebPushConfig,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** Builds a VAPID header once: malformed keys or subject fail at boot. */
  async init(): Promise<void> {
    const { subject, publicKey, privateKey } = this.config.vapid;
    webPush.getVapidHeaders("https://push.example.com", subject, publicKey, privateKey, "aes128gcm");
  }

  async send({ device, content }: DeviceSend): Promise<DeviceOutcome> {
    if (!device.keys) return failure("dead", "NO_SUBSCRIPTION_KEYS", "a web subscription needs its p256dh and auth keys");
    const scheme = /^(https?):\/\//.exec(device.token)?.[1];
    if (scheme !== "https" && !(scheme === "http" && this.config.allowInsecureEndpoints)) {
      return failure("dead", "BAD_ENDPOINT", "a Web Push endpoint must be an https URL");
    }
    let details: ReturnType<typeof webPush.generateRequestDetails>;
    try {
      details = webPush.generateRequestDetails({ endpoint: device.token, keys: device.keys }, JSON.stringify(payloadOf(content)), {
        vapidDetails: this.config.vapid,
        TTL: content.ttlSeconds ?? this.config.defaultTtlSeconds,
        urgency: content.priority === "high" ? "high" : "normal",
        contentEncoding: "aes128gcm",
        ...(content.collapseKey !== undefined ? { topic: topicOf(content.collapseKey) } : {}),
      });
    } catch (e) {
      // web-push throws here for keys that are not valid P-256 / 16-byte values: the subscription is broken.
      return failure("dead", "BAD_SUBSCRIPTION_KEYS", e instanceof Error ? e.message : String(e));
    }
    try {
      const headers = Object.fromEntries(Object.entries(details.headers).map(([k, v]) => [k, String(v)]));
      const res = await fetch(details.endpoint, { method: "POST", headers, body: details.body ?? undefined, signal: AbortSignal.timeout(this.timeoutMs), redirect: "error" });
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) {
        return { ok: true, id: res.headers.get("location") ?? `webpush:${createHash("sha256").update(device.token).digest("hex").slice(0, 16)}` };
      }
      return webPushFailure(res.status, text, retryAfterMs(res.headers.get("retry-after"), this.clock.now()));
    } catch (e) {
      return failureFromError(e);
    }
  }

  async close(): Promise<void> {}
}

/** The JSON a service worker receives (documented in the README). */
export function payloadOf(c: ResolvedPush): Record<string, unknown> {
  const p: Record<string, unknown> = { title: c.title, body: c.body, image: c.image, icon: c.icon, badge: c.badge, tag: c.threadId ?? c.collapseKey, link: c.link, data: c.data };
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return p;
}

/** RFC 8030 §5.4: a Topic is at most 32 base64url characters; longer or other keys are hashed into one. */
function topicOf(key: string): string {
  return /^[A-Za-z0-9_-]{1,32}$/.test(key) ? key : createHash("sha256").update(key).digest("base64url").slice(0, 32);
}
