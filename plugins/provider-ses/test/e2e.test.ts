import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, type Nudge } from "@nudge/core";
import { email } from "@nudge/channel-email";
import { storageMemory } from "@nudge/storage-memory";
import { ses } from "../src/index.js";
import { sesConfig } from "./support/harness.js";
import { FakeSes } from "./support/fake-ses.js";
import { FakeSns } from "./support/sns-signer.js";

const LINKS = { baseUrl: "https://nudge.acme.test/nudge", secret: "test-secret-0123456789abcdef" };

describe("email end to end: journey -> Amazon SES (SMTP interface) -> SES feedback through SNS", () => {
  let fake: FakeSes;
  let sns: FakeSns;
  let nudge: Nudge;
  const clock = new FakeClock("2026-03-02T01:00:00Z");

  beforeAll(async () => {
    fake = await new FakeSes().start();
    sns = await new FakeSns().start();
    nudge = await createNudge({
      workspace: "acme",
      logger: silentLogger(),
      clock,
      links: LINKS,
      plugins: [storageMemory(), email({ from: "Acme <news@acme.test>", providers: ["ses"] }), ses(sesConfig(fake, sns))],
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
    await fake.stop();
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
    expect(attempt).toMatchObject({ status: "sent", provider: "ses", providerMessageId: fake.last().sesId, messageType: "email" });
    expect(fake.violations).toEqual([]);

    // SES is asked to send the composed message: the one-click unsubscribe header is there (its rendering is the channel's tests').
    expect(fake.last().raw.toString("latin1")).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(fake.last().to).toEqual(["minji@example.com"]);

    // SES reports a hard bounce for that message through SNS, posted to /v1/webhooks/email/ses.
    const bounce = FakeSns.ses("Bounce", attempt.providerMessageId!) as { bounce: { bouncedRecipients: Array<Record<string, unknown>> } };
    bounce.bounce.bouncedRecipients[0]!["emailAddress"] = "minji@example.com";
    const result = await nudge.webhooks.handle("email", "ses", sns.request(sns.envelope("Notification", bounce)));
    expect(result.applied).toBeGreaterThanOrEqual(1);

    const after = (await nudge.profiles.get(profile.id))!;
    expect(after.contacts.invalid?.["email"]).toMatchObject({ reason: expect.stringMatching(/bounce/i) });
    const failed = (await nudge.resolve(Tokens.MessageStore).get("acme", message!.id))!;
    expect(failed.status).toBe("failed");

    // The next campaign cannot reach the address any more: nothing goes out.
    const before = fake.received.length;
    await nudge.track({ userId: "u1", event: "sale_started" });
    await nudge.drain();
    expect(fake.received.length).toBe(before);
  });

  it("a complaint unsubscribes the person from e-mail", async () => {
    await nudge.identify({ userId: "u2", traits: { name: "Jun", email: "jane@example.com" } });
    const profile = (await nudge.profiles.find({ userId: "u2" }))!;
    await nudge.profiles.setSubscription(profile.id, { channel: "email", state: "subscribed", source: "signup-form" });
    await nudge.webhooks.handle("email", "ses", sns.request(sns.envelope("Notification", FakeSns.ses("Complaint", "0100018e0a6e5e2c-aaaaaaaa-5b8a-4f4e-9a55-6f0f7f2b7d11-000000"))));
    const after = (await nudge.profiles.get(profile.id))!;
    expect(after.subscriptions.at(-1)).toMatchObject({ channel: "email", state: "unsubscribed", source: "provider:ses" });
  });

  it("a forged SNS message is refused, and a provider the channel does not use takes no webhook", async () => {
    const signed = sns.envelope("Notification", FakeSns.ses("Complaint", "0100018e0a6e5e2c-bbbbbbbb-5b8a-4f4e-9a55-6f0f7f2b7d11-000000"));
    await expect(nudge.webhooks.handle("email", "ses", sns.request({ ...signed, TopicArn: "arn:aws:sns:us-east-1:999999999999:other" }))).rejects.toMatchObject({ code: "NUDGE_VALIDATION" });
    await expect(nudge.webhooks.handle("email", "smtp", sns.request(signed))).rejects.toMatchObject({ code: "NUDGE_NOT_FOUND" });
  });
});
