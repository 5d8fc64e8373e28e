import { z } from "zod";
import { ChannelRejectedError, ChannelUnavailableError, type Clock, type Logger, type ProviderCall, type PushToken, type SendResult } from "@nudge/core";
import { PUSH, retryAfterMs, transportError, type PushPayload, type PushProvider } from "@nudge/channel-push";
import type { FcmConfig } from "./config.js";
import { fcmError } from "./errors.js";
import { fcmMessage } from "./fcm-message.js";
import { GoogleAccessToken } from "./google-access-token.js";

const Sent = z.object({ name: z.string().min(1) });

/** FCM's limit on a message's notification and data (ErrorCode INVALID_ARGUMENT: "message is too big"). */
const MAX_BYTES = 4096;
const APNS_DEVICE_TOKEN = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * Firebase Cloud Messaging, HTTP v1: POST {baseUrl}/v1/projects/{projectId}/messages:send with a
 * service-account OAuth2 bearer token (https://firebase.google.com/docs/cloud-messaging/send/v1-api).
 * A 401 drops the cached token and retries once with a fresh one. FCM documents no idempotency key and no
 * lookup by the sender's id, so a send of unknown outcome is settled as unknown ("none").
 */
export class FcmProvider implements PushProvider {
  readonly id = "fcm";
  readonly channel = PUSH;
  readonly idempotency = "none" as const;
  readonly platforms: PushProvider["platforms"];
  private readonly token: GoogleAccessToken;
  private readonly url: string;

  constructor(
    private readonly config: FcmConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.platforms = config.platforms;
    const projectId = config.projectId ?? config.serviceAccount.project_id!;
    this.url = `${config.baseUrl.replace(/\/+$/, "")}/v1/projects/${encodeURIComponent(projectId)}/messages:send`;
    const tokenUrl = config.tokenUrl ?? config.serviceAccount.token_uri ?? "https://oauth2.googleapis.com/token";
    this.token = new GoogleAccessToken(config.serviceAccount, tokenUrl, clock, config.timeoutMs);
  }

  /** Imports the key: a malformed private_key fails `nudge.start()`. */
  init(): Promise<void> {
    return this.token.init();
  }

  /**
   * FCM takes registration tokens. A Web Push subscription (endpoint and keys) is for a push service, and an
   * iOS token that is only hexadecimal bytes is an APNs device token (as APNs paths carry it), which FCM
   * cannot use: both are left to the providers that can.
   */
  accepts(device: PushToken): boolean {
    if (device.keys !== undefined) return false;
    return !(device.platform === "ios" && APNS_DEVICE_TOKEN.test(device.token));
  }

  payloadSize({ payload, context }: ProviderCall<PushPayload>): { bytes: number; limit: number } {
    return { bytes: Buffer.byteLength(JSON.stringify(fcmMessage("", payload, context.now))), limit: MAX_BYTES };
  }

  async send({ to, payload, context }: ProviderCall<PushPayload>): Promise<SendResult> {
    const body = JSON.stringify({ message: fcmMessage(to, payload, context.now) });
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      let res = await this.post(body, await this.token.get());
      if (res.status === 401) {
        this.token.invalidate();
        res = await this.post(body, await this.token.get());
      }
      ({ status } = res);
      retryAfter = res.headers.get("retry-after");
      text = await res.text();
    } catch (e) {
      throw transportError(e, "FCM");
    }
    if (status >= 200 && status < 300) {
      const sent = Sent.safeParse(safeJson(text));
      if (!sent.success) throw new ChannelUnavailableError("FCM answered 200 without a message name", { providerCode: "BAD_RESPONSE" });
      return { providerMessageId: sent.data.name, status: "sent" };
    }
    const error = fcmError(status, safeJson(text), retryAfterMs(retryAfter, this.clock.now()), to);
    if (error instanceof ChannelRejectedError) this.logger.warn({ code: error.providerCode, status }, "FCM refused a message");
    throw error;
  }

  private post(body: string, accessToken: string): Promise<Response> {
    return fetch(this.url, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json; charset=UTF-8" },
      body,
      signal: AbortSignal.timeout(this.config.timeoutMs),
    });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
