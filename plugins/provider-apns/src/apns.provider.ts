import { connect, constants, type ClientHttp2Session } from "node:http2";
import { ChannelRejectedError, type Clock, type Logger, type ProviderCall, type PushToken, type SendResult } from "@nudge/core";
import { PUSH, retryAfterMs, transportError, type PushPayload, type PushProvider } from "@nudge/channel-push";
import type { ApnsConfig } from "./config.js";
import { apnsError } from "./errors.js";
import { ApnsProviderToken } from "./apns-provider-token.js";
import { apnsRequest } from "./apns-request.js";

const HOSTS = { production: "https://api.push.apple.com", development: "https://api.sandbox.push.apple.com" } as const;
/** The payload limit of a regular remote notification (Sending notification requests to APNs). */
const MAX_BYTES = 4096;

interface ApnsAnswer {
  status: number;
  apnsId: string | undefined;
  reason: string;
  retryAfter: string | undefined;
}

/**
 * Apple Push Notification service over HTTP/2 with token-based auth: one long-lived session (Apple asks
 * providers to keep connections open), reopened after GOAWAY or an error; POST /3/device/<token>.
 * node:http2 is used directly because the maintained APNs clients bring their own clock and JWT cache,
 * and the tests need both driven by the injected clock. APNs documents no dedupe (apns-id only names a
 * notification in its answers) and no lookup, so a send of unknown outcome stays unknown ("none").
 */
export class ApnsProvider implements PushProvider {
  readonly id = "apns";
  readonly channel = PUSH;
  readonly idempotency = "none" as const;
  readonly platforms = ["ios"] as const;
  private session: ClientHttp2Session | null = null;
  /** Requests running per session: a session is ref'd only while it has some. */
  private readonly inFlight = new WeakMap<ClientHttp2Session, number>();
  private readonly origin: string;
  private readonly token: ApnsProviderToken;

  constructor(
    private readonly config: ApnsConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.origin = config.baseUrl ?? HOSTS[config.environment];
    this.token = new ApnsProviderToken({ teamId: config.teamId, keyId: config.keyId, privateKey: config.privateKey, refreshMinutes: config.tokenRefreshMinutes }, clock);
  }

  /** Imports the .p8 key: a malformed key fails `nudge.start()`. */
  init(): Promise<void> {
    return this.token.init();
  }

  /**
   * APNs takes device tokens, which the path carries as "the hexadecimal bytes of the device token"
   * (Sending notification requests to APNs): a Firebase registration token is for FCM.
   */
  accepts(device: PushToken): boolean {
    return /^(?:[0-9a-fA-F]{2})+$/.test(device.token);
  }

  payloadSize({ to, payload, context }: ProviderCall<PushPayload>): { bytes: number; limit: number } {
    return { bytes: Buffer.byteLength(apnsRequest(payload, this.config.topic, context.idempotencyKey, to, context.now).payload), limit: MAX_BYTES };
  }

  async send({ to, payload, context }: ProviderCall<PushPayload>): Promise<SendResult> {
    const request = apnsRequest(payload, this.config.topic, context.idempotencyKey, to, context.now);
    let answer: ApnsAnswer;
    try {
      answer = await this.post(to, request.headers, request.payload, await this.token.current());
      if (answer.status === 403 && answer.reason === "ExpiredProviderToken" && this.token.expire()) {
        answer = await this.post(to, request.headers, request.payload, await this.token.current());
      }
    } catch (e) {
      throw transportError(e, "APNs");
    }
    if (answer.status === 200) return { providerMessageId: answer.apnsId ?? request.headers["apns-id"]!, status: "sent" };
    const error = apnsError(answer.status, answer.reason, retryAfterMs(answer.retryAfter, this.clock.now()), to);
    if (error instanceof ChannelRejectedError) this.logger.warn({ status: answer.status, reason: answer.reason }, "APNs refused a notification");
    throw error;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s && !s.closed) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const s = connect(this.origin);
    const forget = () => {
      if (this.session === s) this.session = null;
    };
    s.on("error", (err) => {
      this.logger.warn({ err: { message: err.message } }, "APNs connection error");
      forget();
    });
    s.on("goaway", () => {
      forget();
      s.close();
    });
    s.on("close", forget);
    s.unref(); // an idle connection must not keep the process alive; `post` refs it while a request runs
    this.session = s;
    return s;
  }

  private post(deviceToken: string, headers: Record<string, string>, payload: string, jwt: string): Promise<ApnsAnswer> {
    const session = this.connection();
    const running = this.inFlight.get(session) ?? 0;
    if (running === 0) session.ref();
    this.inFlight.set(session, running + 1);
    const done = () => {
      const left = (this.inFlight.get(session) ?? 1) - 1;
      this.inFlight.set(session, left);
      if (left === 0 && !session.destroyed) session.unref();
    };
    return new Promise<ApnsAnswer>((resolve, reject) => {
      const req = session.request({
        [constants.HTTP2_HEADER_METHOD]: "POST",
        [constants.HTTP2_HEADER_PATH]: `/3/device/${encodeURIComponent(deviceToken)}`,
        authorization: `bearer ${jwt}`,
        "content-type": "application/json",
        ...headers,
      });
      let status = 0;
      let apnsId: string | undefined;
      let retryAfter: string | undefined;
      const chunks: Buffer[] = [];
      req.setTimeout(this.config.timeoutMs, () => {
        req.close(constants.NGHTTP2_CANCEL);
        reject(Object.assign(new Error(`APNs did not answer within ${this.config.timeoutMs} ms`), { name: "TimeoutError" }));
      });
      req.on("response", (h) => {
        status = Number(h[constants.HTTP2_HEADER_STATUS]);
        apnsId = typeof h["apns-id"] === "string" ? h["apns-id"] : undefined;
        retryAfter = typeof h["retry-after"] === "string" ? h["retry-after"] : undefined;
      });
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let reason = "";
        try {
          reason = chunks.length ? String((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { reason?: unknown }).reason ?? "") : "";
        } catch {
          reason = "";
        }
        resolve({ status, apnsId, reason, retryAfter });
      });
      req.on("error", reject);
      req.end(payload);
    }).finally(done);
  }
}
