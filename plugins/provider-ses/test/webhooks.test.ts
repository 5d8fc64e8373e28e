import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock, ValidationError, WebhookSignatureError, silentLogger, type WebhookRequest } from "@nudge/core";
import { SesWebhook } from "../src/webhooks.js";
import { FakeSns } from "./support/sns-signer.js";

describe("Amazon SES feedback through SNS", () => {
  let sns: FakeSns;
  let hook: SesWebhook;
  const clock = new FakeClock("2026-03-02T01:00:00Z");
  const id = "0100018e0a6e5e2c-3f1c2f0e-5b8a-4f4e-9a55-6f0f7f2b7d11-000000";

  beforeAll(async () => {
    sns = await new FakeSns().start();
    hook = new SesWebhook(
      { topicArns: [sns.topicArn], verifySignature: true, trustedUrlPattern: sns.trustedUrlPattern, autoConfirm: true },
      clock,
      silentLogger(),
    );
  });
  afterAll(() => sns.stop());

  const notify = (message: unknown, over: Record<string, string> = {}) => hook.parse(sns.request(sns.envelope("Notification", message, over)));

  it("a hard bounce fails the message and marks the address invalid (lower-cased)", async () => {
    const r = await notify(FakeSns.ses("Bounce", id));
    expect(r.reports).toEqual([
      expect.objectContaining({ providerMessageId: id, status: "failed", providerCode: "Bounce:Permanent", invalidateContact: true, at: Date.parse("2026-03-02T01:00:03.000Z") }),
    ]);
    expect(r.reports[0]!.reason).toContain("Permanent/General");
    expect(r.reports[0]!.reason).not.toContain("jane@example.com");
    expect(r.contacts).toEqual([expect.objectContaining({ type: "invalid", address: "jane@example.com" })]);
    expect(r.response).toEqual({ status: 200 });
  });

  it("a transient bounce fails the message but keeps the address", async () => {
    const b = FakeSns.ses("Bounce", id) as { bounce: Record<string, unknown> };
    const r = await notify({ ...b, bounce: { ...b.bounce, bounceType: "Transient", bounceSubType: "MailboxFull" } });
    expect(r.reports).toEqual([expect.objectContaining({ status: "failed", invalidateContact: false })]);
    expect(r.contacts).toEqual([]);
  });

  it("a complaint unsubscribes the person; a not-spam retraction does nothing", async () => {
    const r = await notify(FakeSns.ses("Complaint", id));
    expect(r.reports).toEqual([]);
    expect(r.contacts).toEqual([expect.objectContaining({ type: "unsubscribe", address: "jane@example.com", reason: "complaint" })]);
    const c = FakeSns.ses("Complaint", id) as { complaint: Record<string, unknown> };
    expect((await notify({ ...c, complaint: { ...c.complaint, complaintFeedbackType: "not-spam" } })).contacts).toEqual([]);
  });

  it("a delivery is reported delivered; event publishing (eventType) is read the same way", async () => {
    expect((await notify(FakeSns.ses("Delivery", id))).reports).toEqual([expect.objectContaining({ providerMessageId: id, status: "delivered" })]);
    const { notificationType: _n, ...rest } = FakeSns.ses("Delivery", id);
    expect((await notify({ ...rest, eventType: "Delivery" })).reports).toEqual([expect.objectContaining({ status: "delivered" })]);
    expect((await notify({ ...rest, eventType: "Open", open: { timestamp: "2026-03-02T02:00:00Z" } })).reports).toEqual([]);
  });

  it("refuses a foreign topic, a tampered message, an untrusted certificate URL, and non-JSON", async () => {
    const fail = (req: WebhookRequest) => hook.parse(req).then(() => null, (e: unknown) => e as ValidationError);
    const unsigned = (req: WebhookRequest) => hook.parse(req).then(() => null, (e: unknown) => e as WebhookSignatureError);

    const foreign = await fail(sns.request(sns.envelope("Notification", FakeSns.ses("Bounce", id), { TopicArn: "arn:aws:sns:us-east-1:999999999999:other" })));
    expect(foreign).toBeInstanceOf(ValidationError);
    expect(foreign!.issues).toEqual([expect.objectContaining({ path: "TopicArn" })]);

    const signed = sns.envelope("Notification", FakeSns.ses("Delivery", id));
    const tampered = await unsigned(sns.request({ ...signed, Message: JSON.stringify(FakeSns.ses("Complaint", id)) }));
    expect(tampered).toBeInstanceOf(WebhookSignatureError);
    expect(tampered).toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "Signature", message: "Unverified SNS message: Signature: the signature does not match the message" });

    const forged = await unsigned(sns.request(sns.envelope("Notification", FakeSns.ses("Bounce", id), { SigningCertURL: "https://evil.test/cert.pem" })));
    expect(forged).toMatchObject({ field: "Signature", message: expect.stringContaining("not a trusted") });

    const junk = await fail({ headers: {}, rawBody: Buffer.from("not json"), query: {} });
    expect(junk).toBeInstanceOf(ValidationError);

    // No signature at all is unauthenticated; a signed envelope missing other fields is malformed.
    const missing = await unsigned({ headers: {}, rawBody: Buffer.from(JSON.stringify({ Type: "Notification" })), query: {} });
    expect(missing).toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "Signature", message: expect.stringContaining("is missing") });
    const partial = await fail({ headers: {}, rawBody: Buffer.from(JSON.stringify({ Type: "Notification", Signature: "c2ln" })), query: {} });
    expect(partial).toBeInstanceOf(ValidationError);
    expect(partial!.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["MessageId", "TopicArn", "SigningCertURL"]));
  });

  it("names the bad field of a malformed SES notification", async () => {
    const err = await rejection<ValidationError>(notify({ notificationType: "Bounce", mail: {} }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues[0]!.path).toBe("Message.mail.messageId");
  });

  it("confirms an SNS subscription by fetching its SubscribeURL when autoConfirm is on", async () => {
    const before = sns.confirmations.length;
    const r = await hook.parse(sns.request(sns.envelope("SubscriptionConfirmation", "You have chosen to subscribe to the topic")));
    expect(r).toEqual({ reports: [], response: { status: 200 } });
    expect(sns.confirmations.length).toBe(before + 1);
  });
});
