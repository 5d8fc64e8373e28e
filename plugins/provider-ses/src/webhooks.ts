import { z } from "zod";
import {
  ChannelUnavailableError,
  ValidationError,
  WebhookSignatureError,
  type Clock,
  type ContactReport,
  type DeliveryReport,
  type Logger,
  type WebhookRequest,
  type WebhookResult,
} from "@nudge/core";
import type { SnsConfig } from "./config.js";
import { SnsSignatureVerifier } from "./sns-signature.js";

/** The SNS HTTP(S) envelope (https://docs.aws.amazon.com/sns/latest/dg/http-notification-json.html). */
const SnsEnvelope = z.looseObject({
  Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Timestamp: z.string().min(1),
  Subject: z.string().nullish(),
  SubscribeURL: z.url().optional(),
  Token: z.string().optional(),
  SignatureVersion: z.string().min(1),
  Signature: z.string().min(1),
  SigningCertURL: z.url(),
});

const Recipient = z.looseObject({ emailAddress: z.string().min(3) });

/**
 * The SES notification inside `Message`: `notificationType` for feedback notifications, `eventType` for
 * event publishing (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html,
 * https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html). Unknown
 * fields are allowed: SES says it may add some.
 */
const SesNotification = z.looseObject({
  notificationType: z.string().optional(),
  eventType: z.string().optional(),
  mail: z.looseObject({ messageId: z.string().min(1), timestamp: z.string().optional() }),
  bounce: z
    .looseObject({
      bounceType: z.enum(["Undetermined", "Permanent", "Transient"]),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(Recipient.extend({ diagnosticCode: z.string().optional(), status: z.string().optional() })),
      timestamp: z.string(),
    })
    .optional(),
  complaint: z
    .looseObject({ complainedRecipients: z.array(Recipient), timestamp: z.string(), complaintFeedbackType: z.string().optional() })
    .optional(),
  delivery: z.looseObject({ timestamp: z.string(), smtpResponse: z.string().optional() }).optional(),
  reject: z.looseObject({ reason: z.string().optional() }).optional(),
});
type SesNotification = z.infer<typeof SesNotification>;

function masked(text: string): string {
  return text.replace(/[^\s<>@;]+@[^\s<>;]+/g, "<address>").slice(0, 300);
}

/**
 * Amazon SES feedback through SNS: refuses foreign topics and bad signatures, confirms subscriptions
 * when asked, and turns bounces, complaints and deliveries into delivery and contact reports. A hard
 * bounce marks the address invalid; a complaint unsubscribes the person from the channel.
 */
export class SesWebhook {
  private readonly verifier: SnsSignatureVerifier;

  constructor(
    private readonly config: SnsConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.verifier = new SnsSignatureVerifier(config.trustedUrlPattern, clock);
  }

  async parse(request: WebhookRequest): Promise<WebhookResult> {
    const json = parseJson(request.rawBody, "SNS message");
    // No signature at all is an unauthenticated call (401), not a malformed one: checked before the envelope's shape.
    if (this.config.verifySignature && !hasSignature(json)) throw new WebhookSignatureError("SNS message", "Signature", "is missing");
    const envelope = SnsEnvelope.safeParse(json);
    if (!envelope.success) throw ValidationError.fromZod("SNS message", envelope.error);
    const m = { ...envelope.data, Subject: envelope.data.Subject ?? undefined };
    if (!this.config.topicArns.includes(m.TopicArn)) {
      throw new ValidationError("SNS message", [{ path: "TopicArn", message: "not one of the configured SES topics" }]);
    }
    if (this.config.verifySignature) {
      const problem = await this.verifier.check(m);
      if (problem) throw new WebhookSignatureError("SNS message", "Signature", problem);
    }
    if (m.Type === "SubscriptionConfirmation") return this.confirm(m.SubscribeURL, m.TopicArn);
    if (m.Type === "UnsubscribeConfirmation") {
      this.logger.warn({ topicArn: m.TopicArn }, "the SES topic unsubscribed this endpoint");
      return { reports: [], response: { status: 200 } };
    }
    const parsed = SesNotification.safeParse(parseJson(Buffer.from(m.Message), "SES notification"));
    if (!parsed.success) throw ValidationError.fromZod("SES notification", parsed.error, "Message");
    return { ...this.toReports(parsed.data), response: { status: 200 } };
  }

  private async confirm(url: string | undefined, topicArn: string): Promise<WebhookResult> {
    if (!this.config.autoConfirm) {
      this.logger.warn({ topicArn }, "SNS subscription waiting for confirmation (set sns.autoConfirm or confirm it in the AWS console)");
      return { reports: [], response: { status: 200 } };
    }
    if (!url || !this.verifier.isTrustedUrl(url)) {
      throw new ValidationError("SNS message", [{ path: "SubscribeURL", message: "missing or not a trusted SNS URL" }]);
    }
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000), redirect: "error" }).catch((e: unknown) => {
      throw new ChannelUnavailableError("the SNS subscription could not be confirmed", { cause: e });
    });
    if (!res.ok) throw new ChannelUnavailableError(`the SNS subscription could not be confirmed (HTTP ${res.status})`);
    this.logger.info({ topicArn }, "SNS subscription confirmed");
    return { reports: [], response: { status: 200 } };
  }

  private toReports(n: SesNotification): { reports: DeliveryReport[]; contacts: ContactReport[] } {
    const type = n.notificationType ?? n.eventType;
    const id = n.mail.messageId;
    const at = (s: string | undefined) => (s !== undefined && Number.isFinite(Date.parse(s)) ? Date.parse(s) : this.clock.now());
    if (type === "Bounce" && n.bounce) {
      const b = n.bounce;
      const hard = b.bounceType === "Permanent";
      const diagnostic = b.bouncedRecipients.map((r) => r.diagnosticCode).find((d) => d !== undefined);
      const reason = masked(`${b.bounceType}${b.bounceSubType ? `/${b.bounceSubType}` : ""}${diagnostic ? `: ${diagnostic}` : ""}`);
      return {
        reports: [{ providerMessageId: id, status: "failed", providerCode: `Bounce:${b.bounceType}`, reason, at: at(b.timestamp), invalidateContact: hard }],
        contacts: hard ? b.bouncedRecipients.map((r) => ({ type: "invalid" as const, address: r.emailAddress.trim().toLowerCase(), reason: `hard bounce (${b.bounceSubType ?? "General"})`, at: at(b.timestamp) })) : [],
      };
    }
    if (type === "Complaint" && n.complaint) {
      const c = n.complaint;
      // "not-spam" is a mailbox provider retracting a complaint: nothing to do.
      if (c.complaintFeedbackType === "not-spam") return { reports: [], contacts: [] };
      return {
        reports: [],
        contacts: c.complainedRecipients.map((r) => ({ type: "unsubscribe" as const, address: r.emailAddress.trim().toLowerCase(), reason: "complaint", at: at(c.timestamp) })),
      };
    }
    if (type === "Delivery" && n.delivery) {
      return { reports: [{ providerMessageId: id, status: "delivered", providerCode: "Delivery", at: at(n.delivery.timestamp) }], contacts: [] };
    }
    if (type === "Reject") {
      return { reports: [{ providerMessageId: id, status: "failed", providerCode: "Reject", reason: masked(n.reject?.reason ?? "rejected by SES"), at: this.clock.now() }], contacts: [] };
    }
    return { reports: [], contacts: [] }; // Send, Open, Click, DeliveryDelay ...: nothing to apply
  }
}

function hasSignature(json: unknown): boolean {
  const signature = typeof json === "object" && json !== null ? (json as { Signature?: unknown }).Signature : undefined;
  return typeof signature === "string" && signature !== "";
}

function parseJson(raw: Buffer, what: string): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ValidationError(what, [{ path: "(root)", message: "not JSON" }]);
  }
}
