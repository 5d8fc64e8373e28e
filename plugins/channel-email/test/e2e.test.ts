import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { ChannelRejectedError, createNudge, FakeClock, PluginLifecycleError, silentLogger, Tokens, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { smtp } from "@nudge/provider-smtp";
import { email } from "../src/index.js";
import { LINKS } from "./support/email-harness.js";
import { rejection } from "./support/rejection.js";
// The SMTP provider's fake relay: a real smtp-server that checks what it receives.
import { SmtpSink } from "../../provider-smtp/test/support/smtp-sink.js";

describe("email end to end: journey -> SMTP", () => {
  let sink: SmtpSink;
  let nudge: Nudge;
  const clock = new FakeClock("2026-03-02T01:00:00Z");

  beforeAll(async () => {
    sink = await new SmtpSink({ reply: "postfix" }).start();
    nudge = await createNudge({
      workspace: "acme",
      logger: silentLogger(),
      clock,
      links: LINKS,
      plugins: [
        storageMemory(),
        email({ from: "Acme <news@acme.test>", providers: ["smtp"] }),
        smtp({ host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass } }),
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
  });

  it("sends the rendered marketing mail with a one-click unsubscribe link and tracked links", async () => {
    await nudge.identify({ userId: "u1", traits: { name: "민지", email: "Minji@Example.com" } });
    const profile = (await nudge.profiles.find({ userId: "u1" }))!;
    await nudge.profiles.setSubscription(profile.id, { channel: "email", state: "subscribed", source: "signup-form" });

    await nudge.track({ userId: "u1", event: "sale_started" });
    await nudge.drain();

    const [message] = (await nudge.resolve(Tokens.MessageStore).list("acme", { limit: 10 })).items;
    expect(message).toMatchObject({ channel: "email", status: "sent", recipient: "minji@example.com" });
    const attempt = message!.attempts.at(-1)!;
    const parsed = await simpleParser(sink.last().raw);
    // A relay that is not SES names the message by its Message-ID header, kept without angle brackets.
    expect(attempt).toMatchObject({ status: "sent", provider: "smtp", providerMessageId: parsed.messageId!.replace(/^<|>$/g, ""), messageType: "email" });
    expect(sink.violations).toEqual([]);
    expect(sink.last().to).toEqual(["minji@example.com"]);

    expect(parsed.subject).toBe("민지님, 봄 세일이 시작됐어요");
    expect(parsed.text).toContain("민지님 안녕하세요.");
    const list = parsed.headers.get("list") as { unsubscribe?: { url?: string } };
    const unsubscribe = nudge.links.verify(list.unsubscribe!.url!.split("/u/")[1]!);
    expect(unsubscribe).toEqual({ k: "u", ws: "acme", p: profile.id, c: "email", m: message!.id });
    expect(parsed.html).toContain(list.unsubscribe!.url!);
    expect(parsed.html).not.toContain('href="https://shop.acme.test/spring"');
  });

  it("an unsubscribed person gets nothing", async () => {
    await nudge.identify({ userId: "u2", traits: { name: "Jun", email: "jun@example.com" } });
    const profile = (await nudge.profiles.find({ userId: "u2" }))!;
    await nudge.profiles.setSubscription(profile.id, { channel: "email", state: "unsubscribed", source: "link" });
    const before = sink.received.length;
    await nudge.track({ userId: "u2", event: "sale_started" });
    await nudge.drain();
    expect(sink.received.length).toBe(before);
  });
});

describe("SMTP start-up", () => {
  it("fails at start with a clear error naming the provider plugin when the SMTP credentials are wrong", async () => {
    const sink = await new SmtpSink().start();
    try {
      const nudge = await createNudge({
        workspace: "acme",
        logger: silentLogger(),
        plugins: [storageMemory(), email({ from: "news@acme.test", providers: ["smtp"] }), smtp({ host: "127.0.0.1", port: sink.port, auth: { user: "mailer", pass: "wrong" } })],
      });
      const err = await rejection(nudge.start());
      expect(err).toBeInstanceOf(PluginLifecycleError);
      expect((err as PluginLifecycleError).cause).toBeInstanceOf(ChannelRejectedError);
      expect((err as Error).message).toMatch(/smtp.*init.*authentication/i);
    } finally {
      await sink.stop();
    }
  });
});
