import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { createNudge, FakeClock, LinkService, silentLogger, Tokens, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { email } from "../src/index.js";
import { LINKS } from "./support/email-harness.js";
import { FakeSns } from "./support/sns-signer.js";
import { SmtpSink } from "./support/smtp-sink.js";

describe("email end to end: journey -> SMTP -> SES feedback", () => {
  let sink: SmtpSink;
  let sns: FakeSns;
  let nudge: Nudge;
  const clock = new FakeClock("2026-03-02T01:00:00Z");

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    sns = await new FakeSns().start();
    nudge = await createNudge({
      workspace: "acme",
      logger: silentLogger(),
      clock,
      links: LINKS,
      plugins: [
        storageMemory(),
        email({
          provider: { type: "smtp", host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass } },
          from: "Acme <news@acme.test>",
          webhooks: { ses: { topicArns: [sns.topicArn], trustedUrlPattern: sns.trustedUrlPattern } },
        }),
      ],
    });
    await nudge.start();
    await nudge.journeys.put({
      id: "spring-sale",
      trigger: { type: "event", event: "sale_started" },
      steps: [
        {
          id: "mail",
          type: "send",
          channel: "email",
          marketing: true,
          content: {
            subject: "{{ profile.traits.name }}님, 봄 세일이 시작됐어요",
            html: '<p>{{ profile.traits.name }}님 안녕하세요.</p><p><a href="https://shop.acme.test/spring">보러 가기</a></p><p><a href="%%unsubscribe_url%%">수신거부</a></p>',
            trackClicks: true,
          },
        },
      ],
    });
    await nudge.journeys.publish("spring-sale");
  });
  afterAll(async () => {
    await nudge?.stop();
    await sink.stop();
    await sns.stop();
  });

  it("sends the rendered marketing mail, then a hard bounce makes the address unusable", async () => {
    await nudge.identify({ userId: "u1", traits: { name: "민지", email: "Minji@Example.com" } });
    const profile = (await nudge.profiles.find({ userId: "u1" }))!;
    await nudge.profiles.setSubscription(profile.id, { channel: "email", state: "subscribed", source: "signup-form" });

    await nudge.track({ userId: "u1", event: "sale_started" });
    await nudge.drain();

    const [message] = (await nudge.resolve(Tokens.MessageStore).list("acme", { limit: 10 })).items;
    expect(message).toMatchObject({ channel: "email", status: "sent", recipient: "minji@example.com" });
    const attempt = message!.attempts.at(-1)!;
    expect(attempt).toMatchObject({ status: "sent", provider: "smtp", providerMessageId: sink.last().sesId, messageType: "email" });

    const parsed = await simpleParser(sink.last().raw);
    expect(parsed.subject).toBe("민지님, 봄 세일이 시작됐어요");
    expect(parsed.text).toContain("민지님 안녕하세요.");
    const list = parsed.headers.get("list") as { unsubscribe?: { url?: string } };
    const unsubscribe = new LinkService("acme", LINKS).verify(list.unsubscribe!.url!.split("/u/")[1]!);
    expect(unsubscribe).toEqual({ k: "u", ws: "acme", p: profile.id, c: "email", m: message!.id });
    expect(parsed.html).toContain(list.unsubscribe!.url!);
    expect(parsed.html).not.toContain('href="https://shop.acme.test/spring"');

    // SES reports a hard bounce for that message through SNS.
    const bounce = FakeSns.ses("Bounce", attempt.providerMessageId!) as { bounce: { bouncedRecipients: Array<Record<string, unknown>> } };
    bounce.bounce.bouncedRecipients[0]!["emailAddress"] = "minji@example.com";
    const result = await nudge.deliveryReports.handle("email", sns.request(sns.envelope("Notification", bounce)));
    expect(result.applied).toBeGreaterThanOrEqual(1);

    const after = (await nudge.profiles.get(profile.id))!;
    expect(after.contacts.invalid?.["email"]).toMatchObject({ reason: expect.stringMatching(/bounce/i) });
    const failed = (await nudge.resolve(Tokens.MessageStore).get("acme", message!.id))!;
    expect(failed.status).toBe("failed");

    // The next campaign cannot reach the address any more: nothing goes out.
    const before = sink.received.length;
    await nudge.track({ userId: "u1", event: "sale_started" });
    await nudge.drain();
    expect(sink.received.length).toBe(before);
  });

  it("a complaint unsubscribes the person from e-mail", async () => {
    await nudge.identify({ userId: "u2", traits: { name: "Jun", email: "jane@example.com" } });
    const profile = (await nudge.profiles.find({ userId: "u2" }))!;
    await nudge.profiles.setSubscription(profile.id, { channel: "email", state: "subscribed", source: "signup-form" });
    await nudge.deliveryReports.handle("email", sns.request(sns.envelope("Notification", FakeSns.ses("Complaint", "0100018e0a6e5e2c-aaaaaaaa-5b8a-4f4e-9a55-6f0f7f2b7d11-000000"))));
    const after = (await nudge.profiles.get(profile.id))!;
    expect(after.subscriptions.at(-1)).toMatchObject({ channel: "email", state: "unsubscribed", source: "provider:smtp" });
  });
});
