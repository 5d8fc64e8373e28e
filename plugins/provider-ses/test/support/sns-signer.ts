import { createServer, type Server } from "node:http";
import { randomBytes, randomUUID, sign } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { WebhookRequest } from "@nudge/core";
import { testCertificate } from "./test-certificate.js";

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
