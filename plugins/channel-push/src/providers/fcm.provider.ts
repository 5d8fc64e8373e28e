import { z } from "zod";
import type { Clock, Logger } from "@nudge/core";
import type { FcmConfig } from "../config.js";
import { failure, failureFromError, fcmFailure, retryAfterMs, type DeviceOutcome } from "../errors.js";
import { fcmMessage } from "./fcm-message.js";
import { GoogleAccessToken } from "./google-access-token.js";
import type { DeviceSend, PushProvider } from "./push-provider.js";

const Sent = z.object({ name: z.string().min(1) });

/**
 * Firebase Cloud Messaging, HTTP v1: POST {baseUrl}/v1/projects/{projectId}/messages:send with a
 * service-account OAuth2 bearer token (https://firebase.google.com/docs/cloud-messaging/send/v1-api).
 * A 401 drops the cached token and retries once with a fresh one.
 */
export class FcmProvider implements PushProvider {
  readonly name = "fcm";
  private readonly token: GoogleAccessToken;
  private readonly url: string;

  constructor(
    config: FcmConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {
    const projectId = config.projectId ?? config.serviceAccount.project_id!;
    this.url = `${config.baseUrl.replace(/\/+$/, "")}/v1/projects/${encodeURIComponent(projectId)}/messages:send`;
    const tokenUrl = config.tokenUrl ?? config.serviceAccount.token_uri ?? "https://oauth2.googleapis.com/token";
    this.token = new GoogleAccessToken(config.serviceAccount, tokenUrl, clock, timeoutMs);
  }

  init(): Promise<void> {
    return this.token.init();
  }

  async send({ device, content, context }: DeviceSend): Promise<DeviceOutcome> {
    const body = JSON.stringify({ message: fcmMessage(device, content, context.now) });
    try {
      let res = await this.post(body, await this.token.get());
      if (res.status === 401) {
        this.token.invalidate();
        res = await this.post(body, await this.token.get());
      }
      const text = await res.text();
      if (res.ok) {
        const sent = Sent.safeParse(safeJson(text));
        return sent.success ? { ok: true, id: sent.data.name } : failure("transient", "BAD_RESPONSE", "FCM answered 200 without a message name");
      }
      const outcome = fcmFailure(res.status, safeJson(text), retryAfterMs(res.headers.get("retry-after"), this.clock.now()));
      if (outcome.kind === "rejected") this.logger.warn({ code: outcome.code, status: res.status }, "FCM refused a message");
      return outcome;
    } catch (e) {
      return failureFromError(e);
    }
  }

  async close(): Promise<void> {}

  private post(body: string, accessToken: string): Promise<Response> {
    return fetch(this.url, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json; charset=UTF-8" },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
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
