import { connect, constants, type ClientHttp2Session } from "node:http2";
import type { Clock, Logger } from "@nudge/core";
import type { ApnsConfig } from "../config.js";
import { apnsFailure, failureFromError, retryAfterMs, type DeviceOutcome } from "../errors.js";
import { ApnsProviderToken } from "./apns-provider-token.js";
import { apnsRequest } from "./apns-request.js";
import type { DeviceSend, PushProvider } from "./push-provider.js";

const HOSTS = { production: "https://api.push.apple.com", development: "https://api.sandbox.push.apple.com" } as const;

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
 * and the tests need both driven by the injected clock.
 */
export class ApnsProvider implements PushProvider {
  readonly name = "apns";
  private session: ClientHttp2Session | null = null;
  /** Requests running per session: a session is ref'd only while it has some. */
  private readonly inFlight = new WeakMap<ClientHttp2Session, number>();
  private readonly origin: string;
  private readonly token: ApnsProviderToken;

  constructor(
    private readonly config: ApnsConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {
    this.origin = config.baseUrl ?? HOSTS[config.environment];
    this.token = new ApnsProviderToken({ teamId: config.teamId, keyId: config.keyId, privateKey: config.privateKey, refreshMinutes: config.tokenRefreshMinutes }, clock);
  }

  init(): Promise<void> {
    return this.token.init();
  }

  async send({ device, content, context }: DeviceSend): Promise<DeviceOutcome> {
    const { headers, payload } = apnsRequest(content, this.config.topic, context.idempotencyKey, device.token, context.now);
    try {
      let answer = await this.post(device.token, headers, payload, await this.token.current());
      if (answer.status === 403 && answer.reason === "ExpiredProviderToken" && this.token.expire()) {
        answer = await this.post(device.token, headers, payload, await this.token.current());
      }
      if (answer.status === 200) return { ok: true, id: answer.apnsId ?? headers["apns-id"]! };
      const outcome = apnsFailure(answer.status, answer.reason, retryAfterMs(answer.retryAfter, this.clock.now()));
      if (outcome.kind === "rejected") this.logger.warn({ status: answer.status, reason: answer.reason }, "APNs refused a notification");
      return outcome;
    } catch (e) {
      return failureFromError(e);
    }
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
      req.setTimeout(this.timeoutMs, () => {
        req.close(constants.NGHTTP2_CANCEL);
        reject(Object.assign(new Error(`APNs did not answer within ${this.timeoutMs} ms`), { name: "TimeoutError" }));
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
