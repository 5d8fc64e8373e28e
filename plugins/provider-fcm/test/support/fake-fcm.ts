import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";
import type { Clock } from "@nudge/core";
import type { InjectedFailure } from "@nudge/core/testkit";

type FcmAnswer = { status: number; body: unknown; headers?: Record<string, string> };

/** FCM's documented error bodies (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode). */
export const FCM_ERRORS = {
  UNREGISTERED: { status: 404, body: fcmError(404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED") },
  INVALID_TOKEN: { status: 400, body: fcmError(400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT") },
  INVALID_PAYLOAD: {
    status: 400,
    body: {
      error: {
        code: 400,
        message: "Invalid value at 'message.data[0].value' (TYPE_STRING), 12",
        status: "INVALID_ARGUMENT",
        details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "message.data[0].value", description: "Invalid value" }] }],
      },
    },
  },
  QUOTA_EXCEEDED: { status: 429, body: fcmError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED"), headers: { "retry-after": "30" } },
  UNAVAILABLE: { status: 503, body: fcmError(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE") },
} satisfies Record<string, FcmAnswer>;

function fcmError(code: number, status: string, message: string, errorCode: string) {
  return { error: { code, message, status, details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }] } };
}

/**
 * Plays Google's token endpoint and FCM HTTP v1 on 127.0.0.1. The token endpoint checks the RS256
 * assertion with the service account's public key (iss, scope, aud, iat/exp); messages:send checks the
 * bearer token is one it issued and not expired (by the shared clock) and the message's shape.
 */
export class FakeFcm {
  readonly projectId = "acme-app";
  readonly clientEmail = "nudge@acme-app.iam.gserviceaccount.com";
  readonly privateKeyPem: string;
  private readonly publicKey: KeyObject;
  private readonly issued = new Map<string, number>();
  private readonly byToken = new Map<string, FcmAnswer>();
  private next: FcmAnswer | null = null;
  private server: Server | null = null;
  readonly messages: Record<string, unknown>[] = [];
  readonly problems: string[] = [];
  tokenRequests = 0;
  base = "";

  constructor(private readonly clock: Clock) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKeyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    this.publicKey = publicKey;
  }

  get tokenUrl(): string {
    return `${this.base}/token`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  failNext(kind: InjectedFailure | keyof typeof FCM_ERRORS): void {
    const map: Record<string, FcmAnswer> = { permanent: FCM_ERRORS.INVALID_PAYLOAD, transient: FCM_ERRORS.UNAVAILABLE, rate_limited: FCM_ERRORS.QUOTA_EXCEEDED, unreachable: FCM_ERRORS.UNREGISTERED, ...FCM_ERRORS };
    this.next = map[kind]!;
  }

  /** Every send to this token gets this answer. */
  answerFor(token: string, kind: keyof typeof FCM_ERRORS): void {
    this.byToken.set(token, FCM_ERRORS[kind]);
  }

  /** Drops every issued access token, as if Google revoked them. */
  revokeTokens(): void {
    this.issued.clear();
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<string>((r) => {
      let s = "";
      req.on("data", (c: Buffer) => (s += c.toString("utf8")));
      req.on("end", () => r(s));
    });
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers }).end(JSON.stringify(json));
    if (req.method === "POST" && req.url === "/token") return this.token(req, body, send);
    if (req.method === "POST" && req.url === `/v1/projects/${this.projectId}/messages:send`) return this.message(req, body, send);
    send(404, fcmError(404, "NOT_FOUND", "no such route", "UNSPECIFIED_ERROR"));
  }

  private async token(req: IncomingMessage, body: string, send: (s: number, j: unknown) => void): Promise<void> {
    this.tokenRequests++;
    const form = new URLSearchParams(body);
    if (req.headers["content-type"] !== "application/x-www-form-urlencoded" || form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return send(400, { error: "unsupported_grant_type" });
    }
    try {
      const { payload, protectedHeader } = await jwtVerify(form.get("assertion") ?? "", this.publicKey, {
        algorithms: ["RS256"],
        issuer: this.clientEmail,
        audience: this.tokenUrl,
        currentDate: new Date(this.clock.now()),
      });
      const iat = payload.iat ?? 0;
      if (payload["scope"] !== "https://www.googleapis.com/auth/firebase.messaging" || payload.exp !== iat + 3600 || protectedHeader.typ !== "JWT") throw new Error("bad claims");
      if (Math.abs(iat * 1000 - this.clock.now()) > 60_000) throw new Error("iat is not now");
    } catch (e) {
      this.problems.push(`assertion: ${(e as Error).message}`);
      return send(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
    }
    const token = `ya29.${randomBytes(16).toString("hex")}`;
    this.issued.set(token, this.clock.now() + 3600_000);
    send(200, { access_token: token, expires_in: 3599, token_type: "Bearer" });
  }

  private message(req: IncomingMessage, body: string, send: (s: number, j: unknown, h?: Record<string, string>) => void): void {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const expiresAt = this.issued.get(bearer);
    if (expiresAt === undefined || this.clock.now() >= expiresAt) {
      return send(401, { error: { code: 401, message: "Request had invalid authentication credentials.", status: "UNAUTHENTICATED" } });
    }
    const message = (JSON.parse(body) as { message?: Record<string, unknown> }).message;
    const problem = message ? checkMessage(message) : "no message";
    if (problem) {
      this.problems.push(problem);
      return send(400, { error: { code: 400, message: problem, status: "INVALID_ARGUMENT", details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: problem }] }] } });
    }
    const scripted = this.next ?? this.byToken.get(String(message!["token"]));
    this.next = null;
    if (scripted) return send(scripted.status, scripted.body, scripted.headers ?? {});
    this.messages.push(message!);
    send(200, { name: `projects/${this.projectId}/messages/0:${randomBytes(8).toString("hex")}` });
  }
}

/** The parts of the v1 Message resource the plugin writes, checked as FCM would. */
function checkMessage(m: Record<string, unknown>): string | null {
  if (typeof m["token"] !== "string" || !m["token"]) return "message.token";
  const data = m["data"] as Record<string, unknown> | undefined;
  if (data && Object.values(data).some((v) => typeof v !== "string")) return "message.data";
  const android = m["android"] as Record<string, unknown> | undefined;
  if (android) {
    if (android["priority"] !== undefined && !["NORMAL", "HIGH"].includes(String(android["priority"]))) return "message.android.priority";
    if (android["ttl"] !== undefined && !/^\d+(\.\d{1,9})?s$/.test(String(android["ttl"]))) return "message.android.ttl";
  }
  const apns = m["apns"] as { headers?: Record<string, unknown>; payload?: { aps?: unknown } } | undefined;
  if (apns && (typeof apns.payload?.aps !== "object" || Object.values(apns.headers ?? {}).some((v) => typeof v !== "string"))) return "message.apns";
  const webpush = m["webpush"] as { headers?: Record<string, unknown> } | undefined;
  if (webpush && Object.values(webpush.headers ?? {}).some((v) => typeof v !== "string")) return "message.webpush.headers";
  return null;
}
