import { createServer, type Server } from "node:http";
import { createECDH, randomBytes, randomUUID, type ECDH } from "node:crypto";
import type { AddressInfo } from "node:net";
import { decrypt } from "http_ece";
import { importJWK, jwtVerify } from "jose";
import webPush from "web-push";
import type { PushToken } from "@nudge/core";
import type { InjectedFailure } from "@nudge/core/testkit";

export interface Subscription {
  device: PushToken;
  ecdh: ECDH;
  auth: Buffer;
}

export interface Received {
  id: string;
  headers: Record<string, string | string[] | undefined>;
  /** The decrypted payload: proof the browser would read what was sent. */
  payload: Record<string, unknown>;
}

type Answer = { status: number; headers?: Record<string, string> };
const ANSWERS: Record<InjectedFailure, Answer> = {
  permanent: { status: 410 },
  unreachable: { status: 404 },
  transient: { status: 503 },
  rate_limited: { status: 429, headers: { "retry-after": "7" } },
};

/**
 * Plays a Web Push service (RFC 8030) and the browser behind it: subscriptions are made here (a P-256
 * key pair and a 16-byte auth secret, as a browser makes them); a push is accepted only with a valid
 * VAPID token for this origin and our public key (RFC 8292), the TTL header, and aes128gcm content,
 * which is decrypted with the subscription's private key (RFC 8291) and kept.
 */
export class FakePushService {
  readonly vapid = webPush.generateVAPIDKeys();
  readonly subject = "mailto:push@acme.test";
  readonly received: Received[] = [];
  readonly problems: string[] = [];
  private readonly subs = new Map<string, Subscription>();
  private readonly gone = new Set<string>();
  private next: Answer | null = null;
  private server: Server | null = null;
  base = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void this.handle(req.url ?? "", req.headers, Buffer.concat(chunks)).then((a) => res.writeHead(a.status, a.headers ?? {}).end());
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  subscribe(): Subscription {
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const endpoint = `${this.base}/push/${randomUUID()}`;
    const sub = { ecdh, auth, device: { token: endpoint, platform: "web" as const, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") } } };
    this.subs.set(new URL(endpoint).pathname, sub);
    return sub;
  }

  /** The browser dropped this subscription: 410 Gone from now on. */
  expire(sub: Subscription): void {
    this.gone.add(new URL(sub.device.token).pathname);
  }

  failNext(kind: InjectedFailure): void {
    this.next = ANSWERS[kind];
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private async handle(path: string, h: Record<string, string | string[] | undefined>, body: Buffer): Promise<Answer> {
    const sub = this.subs.get(path);
    if (!sub) return { status: 404 };
    if (this.gone.has(path)) return { status: 410 };
    const auth = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(String(h["authorization"] ?? ""));
    if (!auth || auth[2] !== this.vapid.publicKey) return this.problem(401, "VAPID authorization missing or for another key");
    try {
      const raw = Buffer.from(auth[2], "base64url");
      const key = await importJWK({ kty: "EC", crv: "P-256", x: raw.subarray(1, 33).toString("base64url"), y: raw.subarray(33, 65).toString("base64url") }, "ES256");
      const { payload } = await jwtVerify(auth[1]!, key, { algorithms: ["ES256"], audience: this.base });
      if (payload.sub !== this.subject || typeof payload.exp !== "number") throw new Error("claims");
    } catch (e) {
      return this.problem(403, `VAPID token refused: ${(e as Error).message}`);
    }
    if (!/^\d+$/.test(String(h["ttl"] ?? ""))) return this.problem(400, "TTL header missing");
    if (h["content-encoding"] !== "aes128gcm") return this.problem(415, "content is not aes128gcm");
    if (body.length > 4096) return { status: 413 };
    if (this.next) {
      const a = this.next;
      this.next = null;
      return a;
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(decrypt(body, { version: "aes128gcm", privateKey: sub.ecdh, authSecret: sub.auth }).toString("utf8")) as Record<string, unknown>;
    } catch (e) {
      return this.problem(400, `could not decrypt: ${(e as Error).message}`);
    }
    const id = randomUUID();
    this.received.push({ id, headers: h, payload });
    return { status: 201, headers: { location: `${this.base}/message/${id}` } };
  }

  private problem(status: number, text: string): Answer {
    this.problems.push(text);
    return { status };
  }
}
