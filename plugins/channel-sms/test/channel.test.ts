import { describe, expect, it } from "vitest";
import { NotFoundError, ValidationError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { SmsConfig } from "../src/config.js";
import { KOREAN, person, SENDER, smsChannel } from "./harness.js";

const KR = person("010-1234-5678");

describe("sms channel rules, before any provider", () => {
  it("checks the sender number is registered before sending", async () => {
    const { channel, outbox } = await smsChannel();
    const send = (content: { text: string; from?: string }) => channel.send({ to: channel.address(KR)!, content, context: sendContext(KR, { channel: "sms" }) });
    await expect(send({ text: "안녕하세요", from: "+82 2-9999-9999" })).rejects.toMatchObject({ issues: [{ path: "from", message: expect.stringContaining("not registered") }] });
    expect(outbox.list()).toHaveLength(0);
    await send({ text: "안녕하세요", from: "02-1234-5678" });
    expect(outbox.list()[0]!.content).toMatchObject({ from: "+82212345678" });
  });

  it("hands the provider the planned payload: type, E.164 sender, default LMS title, ad flag", async () => {
    const { channel, outbox } = await smsChannel();
    const r = await channel.send({ to: KOREAN, content: { text: "가".repeat(46) }, context: sendContext(KR, { channel: "sms" }) });
    expect(r).toMatchObject({ provider: "sandbox", messageType: "LMS", cost: { amount: 30, currency: "KRW" } });
    expect(outbox.list()[0]).toMatchObject({ channel: "sms", to: KOREAN, messageType: "LMS", content: { type: "LMS", from: SENDER, text: "가".repeat(46), title: "가".repeat(20), ad: false } });
    const ad = "(광고)아크미\n봄 세일\n무료수신거부 080-123-4567";
    await channel.send({ to: KOREAN, content: { text: ad }, context: sendContext(KR, { channel: "sms", marketing: true }) });
    expect(outbox.list()[1]!.content).toEqual({ type: "SMS", from: SENDER, text: ad, ad: true });
  });

  it("has no address outside Korea without an international provider", async () => {
    const { channel } = await smsChannel();
    expect(channel.address(person("+14155550100"))).toBeNull();
    expect(channel.address(person("+821012345678"))).toBe("+821012345678");
    expect(channel.address(person("+821012345678", { contacts: { phone: "+821012345678", invalid: { phone: { reason: "dead", at: 1 } } } }))).toBeNull();
    await expect(channel.send({ to: "+14155550100", content: { text: "hi" }, context: sendContext(KR) })).rejects.toMatchObject({ providerCode: "NUDGE_NO_ROUTE" });
  });

  it("sends numbers outside Korea through the international providers, priced per segment", async () => {
    const { channel, outbox } = await smsChannel({ international: ["sandbox"] });
    const us = person("+1 415 555 0100");
    const r = await channel.send({ to: channel.address(us)!, content: { text: "Hello 😀".repeat(20) }, context: sendContext(us, { channel: "sms" }) });
    // 160 UTF-16 units of UCS-2 text: 3 segments of 67.
    expect(r).toMatchObject({ provider: "sandbox", messageType: "INTL_SMS", cost: { amount: 240, currency: "KRW" } });
    expect(outbox.list()[0]!.content).toEqual({ type: "INTL_SMS", text: "Hello 😀".repeat(20), ad: false });
  });

  it("refuses an emoji for Korea even with the sandbox", async () => {
    const { channel, outbox } = await smsChannel();
    await expect(channel.send({ to: KOREAN, content: { text: "🎉 세일" }, context: sendContext(KR) })).rejects.toBeInstanceOf(ValidationError);
    expect(outbox.list()).toHaveLength(0);
  });

  it("answers webhooks and polls only for its own providers that take them", async () => {
    const { channel } = await smsChannel({ international: ["sandbox"] });
    expect(channel.providers).toEqual(["sandbox"]);
    const req = { headers: {}, rawBody: Buffer.from("{}"), query: {} };
    await expect(channel.parseWebhook!(req, "sandbox")).rejects.toBeInstanceOf(NotFoundError);
    await expect(channel.parseWebhook!(req, "nhncloud")).rejects.toBeInstanceOf(NotFoundError);
    await expect(channel.poll!({ provider: "sandbox", providerMessageId: "x" })).resolves.toBeNull();
    await expect(channel.poll!({ provider: "solapi", providerMessageId: "x" })).resolves.toBeNull();
  });
});

describe("sms configuration", () => {
  it("defaults to the sandbox and no international provider", () => {
    expect(SmsConfig.parse({ senders: [SENDER] })).toMatchObject({ id: "sms", providers: ["sandbox"], international: [] });
  });

  it("refuses the old vendor union and Twilio block, saying what replaced them", () => {
    const old = SmsConfig.safeParse({ senders: [SENDER], provider: { type: "nhncloud", appKey: "k", secretKey: "s" }, twilio: { accountSid: "AC" } });
    expect(old.success).toBe(false);
    const issues = ValidationError.fromZod("sms config", old.error!).issues;
    expect(issues).toEqual([
      { path: "provider", message: expect.stringContaining("nhnCloudSms(") },
      { path: "twilio", message: expect.stringContaining('international: ["twilio"]') },
    ]);
  });

  it("refuses an empty or malformed provider list, naming the field", () => {
    const issues = (input: unknown) => ValidationError.fromZod("sms config", SmsConfig.safeParse(input).error!).issues;
    expect(issues({ senders: [SENDER], providers: [] })).toEqual([expect.objectContaining({ path: "providers" })]);
    expect(issues({ senders: [SENDER], providers: ["NHN Cloud"] })).toEqual([expect.objectContaining({ path: expect.stringMatching(/^providers.?0/) })]);
  });
});
