import { createServer, type Server } from "node:http";
import { generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { WebhookRequest } from "@nudge/core";

// Minimal DER writer for a self-signed test certificate: node:crypto verifies X.509 but cannot issue
// one, and the packages that can (node-forge ...) are not dependencies of this plugin.
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z"));

/** A self-signed RSA certificate (sha256WithRSAEncryption), valid 2020–2049, and its private key. */
export function testCertificate(commonName = "sns.test"): { pem: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alg = seq(oid("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00]));
  const name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName)))));
  const serial = randomBytes(8);
  // DER wants a positive INTEGER in its shortest form: a leading 0x00 byte followed by a byte below 0x80
  // is "illegal padding" to OpenSSL, so the first byte is kept in 0x01..0x7f.
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    alg,
    name,
    seq(utcTime(new Date("2020-01-01T00:00:00Z")), utcTime(new Date("2049-12-31T00:00:00Z"))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = seq(tbs, alg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
  return { pem, privateKey };
}

/**
 * Plays Amazon SNS: serves its signing certificate over HTTP on 127.0.0.1 and signs envelopes as SNS
 * does (SignatureVersion 2, RSA-SHA256 over the documented "Name\nValue\n" fields). Also records
 * GETs of SubscribeURL, to see a subscription being confirmed.
 */
export class FakeSns {
  readonly topicArn = "arn:aws:sns:ap-northeast-2:123456789012:ses-feedback";
  readonly confirmations: string[] = [];
  private readonly cert = testCertificate();
  private server: Server | null = null;
  base = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.url?.startsWith("/cert.pem")) {
        res.writeHead(200, { "content-type": "application/x-pem-file" }).end(this.cert.pem);
      } else if (req.url?.startsWith("/confirm")) {
        this.confirmations.push(req.url);
        res.writeHead(200, { "content-type": "text/xml" }).end("<ConfirmSubscriptionResponse/>");
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The pattern the plugin must be configured with to trust this fake. */
  get trustedUrlPattern(): string {
    return `^${this.base.replace(/[.]/g, "\\.")}/`;
  }

  envelope(type: "Notification" | "SubscriptionConfirmation", message: unknown, over: Record<string, string> = {}): Record<string, string> {
    const m: Record<string, string> = {
      Type: type,
      MessageId: randomUUID(),
      TopicArn: this.topicArn,
      Message: typeof message === "string" ? message : JSON.stringify(message),
      Timestamp: new Date("2026-03-02T01:00:00Z").toISOString(),
      SignatureVersion: "2",
      SigningCertURL: `${this.base}/cert.pem`,
      ...(type === "SubscriptionConfirmation" ? { Token: randomBytes(16).toString("hex"), SubscribeURL: `${this.base}/confirm?Action=ConfirmSubscription` } : {}),
      ...over,
    };
    const fields = type === "Notification" ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"] : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
    const text = fields.filter((f) => m[f] !== undefined).map((f) => `${f}\n${m[f]}\n`).join("");
    m["Signature"] = sign("sha256", Buffer.from(text), this.cert.privateKey).toString("base64");
    return m;
  }

  request(envelope: Record<string, string>): WebhookRequest {
    return {
      headers: { "x-amz-sns-message-type": envelope["Type"], "content-type": "text/plain; charset=UTF-8" },
      rawBody: Buffer.from(JSON.stringify(envelope)),
      query: {},
    };
  }

  /** An SES feedback notification (notification-examples page of the SES guide) for a message id. */
  static ses(kind: "Delivery" | "Bounce" | "Complaint", messageId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
    const mail = { timestamp: "2026-03-02T01:00:00.000Z", source: "news@acme.test", messageId, destination: ["jane@example.com"] };
    if (kind === "Delivery") {
      return { notificationType: "Delivery", mail, delivery: { timestamp: "2026-03-02T01:00:02.000Z", processingTimeMillis: 546, recipients: ["jane@example.com"], smtpResponse: "250 ok", reportingMTA: "a8-70.smtp-out.amazonses.com" }, ...over };
    }
    if (kind === "Bounce") {
      return {
        notificationType: "Bounce",
        mail,
        bounce: {
          bounceType: "Permanent",
          bounceSubType: "General",
          bouncedRecipients: [{ emailAddress: "Jane@Example.com", status: "5.1.1", action: "failed", diagnosticCode: "smtp; 550 5.1.1 <jane@example.com>... User unknown" }],
          timestamp: "2026-03-02T01:00:03.000Z",
          feedbackId: "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000",
        },
        ...over,
      };
    }
    return {
      notificationType: "Complaint",
      mail,
      complaint: { complainedRecipients: [{ emailAddress: "jane@example.com" }], timestamp: "2026-03-02T01:05:00.000Z", feedbackId: "0000013786031775-fea503bc-7497-11e2-8d85-000000000000", complaintFeedbackType: "abuse" },
      ...over,
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
