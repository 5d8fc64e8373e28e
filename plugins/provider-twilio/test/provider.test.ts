import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelRejectedError, RecipientUnreachableError, ValidationError } from "@nudge/core";
import { sendContext, startProviderPlugin } from "@nudge/core/testkit";
import { twilioSms } from "../src/index.js";
import { TWILIO, twilioFake } from "./twilio.fake.js";
import { intlCall, person, twilioCallback, twilioChannel, twilioConfig, twilioProvider } from "./harness.js";

describe("routing by country, with Twilio as the international provider", () => {
  const f = twilioFake();
  let started: Awaited<ReturnType<typeof twilioChannel>>;
  beforeAll(async () => {
    started = await twilioChannel(await f.fake.start());
  });
  afterAll(async () => {
    await started.close();
    await f.fake.close();
  });

  it("sends non-Korean numbers through Twilio and Korean ones through the Korean provider", async () => {
    const { channel, outbox } = started;
    const us = person("+1 415 555 0100");
    const r = await channel.send({ to: channel.address(us)!, content: { text: "Hello 😀" }, context: sendContext(us, { channel: "sms" }) });
    expect(r).toMatchObject({ provider: "twilio", messageType: "INTL_SMS", cost: { amount: 80, currency: "KRW" } });
    const form = new URLSearchParams(f.fake.last()!.raw);
    expect(form.get("To")).toBe("+14155550100");
    expect(form.get("StatusCallback")).toBe(TWILIO.callback);
    const kr = person("+821012345678");
    const sent = await channel.send({ to: channel.address(kr)!, content: { text: "안녕" }, context: sendContext(kr, { channel: "sms" }) });
    expect(sent).toMatchObject({ provider: "sandbox", providerMessageId: expect.stringMatching(/^sandbox-sms-/) });
    expect(outbox.list()).toHaveLength(1);
    expect(f.fake.requests).toHaveLength(1);
    expect(f.fake.problems).toEqual([]);
  });

  it("holds international texts to Twilio's 1,600 characters and prices them per segment", async () => {
    const { channel } = started;
    const us = person("+14155550100");
    expect(channel.prepare!({ text: "a".repeat(161) }, sendContext(us))).toEqual({ messageType: "INTL_SMS", cost: { amount: 160, currency: "KRW" } });
    await expect(channel.send({ to: "+14155550100", content: { text: "a".repeat(1601) }, context: sendContext(us) })).rejects.toMatchObject({
      issues: [{ path: "text", message: expect.stringContaining("twilio takes at most 1600") }],
    });
    await expect(channel.send({ to: "+14155550100", content: { text: "hi", images: [{ ref: "x", name: "x.jpg", sizeBytes: 1 }] }, context: sendContext(us) })).rejects.toBeInstanceOf(ValidationError);
  });

  it("verifies Twilio's status callbacks through the channel's webhook entry", async () => {
    const r = await started.channel.parseWebhook!(twilioCallback("SM1", "undelivered", TWILIO.authToken, { ErrorCode: "30005" }), "twilio");
    expect(r.reports).toEqual([{ providerMessageId: "SM1", status: "failed", providerCode: "30005", at: expect.any(Number), invalidateContact: true }]);
    await expect(started.channel.parseWebhook!(twilioCallback("SM1", "delivered", "wrong-token"), "twilio")).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "headers.x-twilio-signature" });
  });
});

describe("Twilio SMS provider", () => {
  const f = twilioFake();
  let url: string;
  beforeAll(async () => {
    url = await f.fake.start();
  });
  afterAll(() => f.fake.close());

  it("declares the sms kind, Twilio's length limit and no idempotency key", async () => {
    expect(await twilioProvider(url)).toMatchObject({ id: "twilio", channel: "sms", idempotency: "none", maxTextChars: 1600 });
  });

  it("reports the segments Twilio counted, and maps documented refusals", async () => {
    const p = await twilioProvider(url);
    await expect(p.send(intlCall())).resolves.toMatchObject({ providerMessageId: expect.stringMatching(/^SM/), details: { segments: 1 }, providerCode: "queued" });
    f.failNext("permanent");
    await expect(p.send(intlCall())).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "21408" });
    f.failNext("unreachable");
    await expect(p.send(intlCall())).rejects.toMatchObject({ constructor: RecipientUnreachableError, providerCode: "21211" });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends from a Messaging Service instead of a number when configured", async () => {
    const { from: _from, ...rest } = twilioConfig(url);
    const p = (await startProviderPlugin(twilioSms({ ...rest, messagingServiceSid: `MG${"0".repeat(32)}` }))).provider;
    await p.send(intlCall());
    const form = new URLSearchParams(f.fake.last()!.raw);
    expect(form.get("MessagingServiceSid")).toBe(`MG${"0".repeat(32)}`);
    expect(form.has("From")).toBe(false);
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses a config without a sender, and callbacks when no callback URL is configured", async () => {
    const { from: _from, ...rest } = twilioConfig(url);
    await expect(startProviderPlugin(twilioSms(rest))).rejects.toThrow(/from/);
    const { statusCallbackUrl: _cb, ...noCallback } = twilioConfig(url);
    const p = (await startProviderPlugin(twilioSms(noCallback))).provider;
    await expect(p.parseWebhook!(twilioCallback("SM1"))).rejects.toMatchObject({ issues: [{ path: "statusCallbackUrl" }] });
  });
});
