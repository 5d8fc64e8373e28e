import { createServer, constants, type Http2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import { generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { decodeJwt, jwtVerify } from "jose";
import type { Clock } from "@nudge/core";
import type { InjectedFailure } from "@nudge/core/testkit";

type ApnsAnswer = { status: number; reason: string; headers?: Record<string, string> };

/** The documented failures (https://developer.apple.com/documentation/usernotifications/handling-error-responses-from-apns). */
export const APNS_ERRORS = {
  BadDeviceToken: { status: 400, reason: "BadDeviceToken" },
  Unregistered: { status: 410, reason: "Unregistered" },
  TooManyRequests: { status: 429, reason: "TooManyRequests", headers: { "retry-after": "12" } },
  ServiceUnavailable: { status: 503, reason: "ServiceUnavailable" },
  PayloadTooLarge: { status: 413, reason: "PayloadTooLarge" },
} satisfies Record<string, ApnsAnswer>;

export interface ApnsRequestSeen {
  token: string;
  headers: IncomingHttpHeaders;
  payload: Record<string, unknown>;
  jwt: string;
  iat: number;
}

/**
 * Plays APNs over HTTP/2 (cleartext h2c on 127.0.0.1). For every request it checks the provider token
 * (ES256 signature with the key's public half, kid, iss, and an iat younger than an hour by the shared
 * clock: else 403 ExpiredProviderToken) and the headers the provider API defines (apns-topic,
 * apns-push-type, apns-priority, apns-expiration, apns-collapse-id); bad requests get 400 with a reason.
 */
export class FakeApns {
  readonly teamId = "ABCDE12345";
  readonly keyId = "KEY1234567";
  readonly topic = "com.acme.app";
  readonly privateKeyPem: string;
  private readonly publicKey: KeyObject;
  private readonly byToken = new Map<string, ApnsAnswer>();
  private next: ApnsAnswer | null = null;
  private server: Http2Server | null = null;
  readonly requests: ApnsRequestSeen[] = [];
  readonly problems: string[] = [];
  base = "";

  constructor(private readonly clock: Clock) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    this.publicKey = publicKey;
  }

  async start(): Promise<this> {
    this.server = createServer();
    this.server.on("stream", (stream, headers) => {
      let body = "";
      stream.on("data", (c: Buffer) => (body += c.toString("utf8")));
      stream.on("end", () => void this.handle(stream, headers, body));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  failNext(kind: InjectedFailure | keyof typeof APNS_ERRORS): void {
    const map: Record<string, ApnsAnswer> = { permanent: APNS_ERRORS.BadDeviceToken, transient: APNS_ERRORS.ServiceUnavailable, rate_limited: APNS_ERRORS.TooManyRequests, unreachable: APNS_ERRORS.Unregistered, ...APNS_ERRORS };
    this.next = map[kind]!;
  }

  answerFor(token: string, kind: keyof typeof APNS_ERRORS): void {
    this.byToken.set(token, APNS_ERRORS[kind]);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(stream: ServerHttp2Stream, h: IncomingHttpHeaders, body: string): Promise<void> {
    const answer = (status: number, reason?: string, extra: Record<string, string> = {}) => {
      if (stream.destroyed) return;
      const json = reason ? JSON.stringify({ reason, ...(status === 410 ? { timestamp: this.clock.now() } : {}) }) : "";
      stream.respond({ [constants.HTTP2_HEADER_STATUS]: status, "apns-id": String(h["apns-id"] ?? randomUUID()), ...(json ? { "content-type": "application/json" } : {}), ...extra });
      stream.end(json);
    };
    const bad = (reason: string) => {
      this.problems.push(reason);
      answer(400, reason);
    };
    const path = /^\/3\/device\/([0-9a-f]{64})$/.exec(String(h[":path"]));
    if (h[":method"] !== "POST") return answer(405, "MethodNotAllowed");
    if (!path) return bad("BadPath");

    const jwt = /^bearer (.+)$/.exec(String(h["authorization"] ?? ""))?.[1];
    if (!jwt) return answer(403, "MissingProviderToken");
    let iat = 0;
    try {
      const { payload, protectedHeader } = await jwtVerify(jwt, this.publicKey, { algorithms: ["ES256"], issuer: this.teamId, currentDate: new Date(this.clock.now()) });
      if (protectedHeader.kid !== this.keyId) throw new Error("kid");
      iat = decodeJwt(jwt).iat ?? 0;
      void payload;
    } catch {
      return answer(403, "InvalidProviderToken");
    }
    if (this.clock.now() - iat * 1000 > 3600_000) return answer(403, "ExpiredProviderToken");

    if (h["apns-topic"] !== this.topic) return bad(h["apns-topic"] ? "TopicDisallowed" : "MissingTopic");
    const type = String(h["apns-push-type"] ?? "");
    if (!["alert", "background"].includes(type)) return bad("InvalidPushType");
    const priority = String(h["apns-priority"] ?? "10");
    if (!["5", "10"].includes(priority) || (type === "background" && priority !== "5")) return bad("BadPriority");
    if (h["apns-expiration"] !== undefined && !/^\d+$/.test(String(h["apns-expiration"]))) return bad("BadExpirationDate");
    if (h["apns-collapse-id"] !== undefined && Buffer.byteLength(String(h["apns-collapse-id"])) > 64) return bad("BadCollapseId");
    if (h["apns-id"] !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(String(h["apns-id"]))) return bad("BadMessageId");
    if (Buffer.byteLength(body) > 4096) return answer(413, "PayloadTooLarge");
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return bad("PayloadEmpty");
    }
    if (typeof payload["aps"] !== "object") return bad("PayloadEmpty");

    const scripted = this.next ?? this.byToken.get(path[1]!);
    this.next = null;
    if (scripted) return answer(scripted.status, scripted.reason, scripted.headers ?? {});
    this.requests.push({ token: path[1]!, headers: h, payload, jwt, iat });
    answer(200);
  }
}
