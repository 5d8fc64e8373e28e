import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelRejectedError, ChannelUnavailableError, RateLimitedError, RecipientUnreachableError, ValidationError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { nhnSmsFake } from "./nhn-sms.fake.js";
import { solapiFake } from "./solapi.fake.js";
import { twilioFake } from "./twilio.fake.js";
import { nhnConfig, person, smsChannel, solapiConfig, twilioConfig } from "./harness.js";

const KR = person("010-1234-5678");
const AD = "(광고)아크미\n봄 세일 30% 할인\n무료수신거부 080-123-4567";

describe("NHN Cloud SMS v3.0 contract", () => {
  const f = nhnSmsFake();
  let channel: ReturnType<typeof smsChannel>;
  beforeAll(async () => {
    channel = smsChannel({ provider: nhnConfig(await f.fake.start()) });
  });
  afterAll(() => f.fake.close());
  const send = (content: { text: string; title?: string; from?: string }, marketing = false) =>
    channel.send({ to: channel.address(KR)!, content, context: sendContext(KR, { marketing }) });

  it("sends an SMS to /sender/sms with national numbers and the secret key", async () => {
    const r = await send({ text: "주문이 접수되었습니다." });
    const req = f.fake.last()!;
    expect(req.path).toBe("/sms/v3.0/appKeys/nhn-app-key-1/sender/sms");
    expect(req.json).toMatchObject({ body: "주문이 접수되었습니다.", sendNo: "15880000", recipientList: [{ recipientNo: "01012345678" }] });
    expect(r).toMatchObject({ providerMessageId: expect.stringMatching(/:1$/), messageType: "SMS", cost: { amount: 10, currency: "KRW" } });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends an LMS to /sender/mms with a title, and ads to the ad endpoints", async () => {
    await send({ text: "가".repeat(46) });
    expect(f.fake.last()!.path).toBe("/sms/v3.0/appKeys/nhn-app-key-1/sender/mms");
    expect(f.fake.last()!.json).toMatchObject({ title: "가".repeat(20) });
    await send({ text: AD }, true);
    expect(f.fake.last()!.path).toBe("/sms/v3.0/appKeys/nhn-app-key-1/sender/ad-sms");
    expect(f.fake.problems).toEqual([]);
  });

  it("checks the sender number is registered before sending", async () => {
    const before = f.fake.requests.length;
    await expect(send({ text: "안녕하세요", from: "+82 2-9999-9999" })).rejects.toMatchObject({ issues: [{ path: "from", message: expect.stringContaining("not registered") }] });
    expect(f.fake.requests.length).toBe(before);
    await send({ text: "안녕하세요", from: "02-1234-5678" });
    expect(f.fake.last()!.json).toMatchObject({ sendNo: "0212345678" });
  });

  it("maps NHN's documented failures", async () => {
    f.failNext("unregistered_sender");
    await expect(send({ text: "a" })).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "-2312" });
    f.failNext("opted_out");
    await expect(send({ text: "a" })).rejects.toBeInstanceOf(RecipientUnreachableError);
    f.failNext("rate_limited");
    await expect(send({ text: "a" })).rejects.toMatchObject({ constructor: RateLimitedError, retryAfterMs: 2000 });
  });

  it("polls a result", async () => {
    const r = await send({ text: "조회" });
    await expect(channel.poll(r.providerMessageId!, "SMS")).resolves.toMatchObject({ status: "delivered", providerCode: "1000", at: Date.parse("2026-03-02T10:06:42+09:00") });
  });
});

describe("Solapi contract", () => {
  const f = solapiFake();
  let channel: ReturnType<typeof smsChannel>;
  beforeAll(async () => {
    channel = smsChannel({ provider: solapiConfig(await f.fake.start()) });
  });
  afterAll(() => f.fake.close());

  it("signs each request, sends national numbers and refuses duplicates", async () => {
    const r = await channel.send({ to: channel.address(KR)!, content: { text: "가".repeat(46), title: "안내" }, context: sendContext(KR, { idempotencyKey: "k-1" }) });
    expect(f.lastMessage()).toMatchObject({ to: "01012345678", from: "15880000", type: "LMS", subject: "안내", customFields: { nudgeIdempotencyKey: "k-1" } });
    expect(r.providerMessageId).toMatch(/^M4V/);
    expect(f.fake.problems).toEqual([]);
  });

  it("maps an unregistered sender (1062) to a permanent error and a bad signature to a rejection", async () => {
    f.failNext("unregistered_sender");
    await expect(channel.send({ to: channel.address(KR)!, content: { text: "a" }, context: sendContext(KR) })).rejects.toMatchObject({ providerCode: "1062", retryable: false });
    f.failNext("bad_signature");
    await expect(channel.send({ to: channel.address(KR)!, content: { text: "a" }, context: sendContext(KR) })).rejects.toMatchObject({ providerCode: "SignatureDoesNotMatch" });
  });

  it("polls the message list", async () => {
    await expect(channel.poll("M4V1")).resolves.toMatchObject({ providerMessageId: "M4V1", status: "delivered", providerCode: "4000" });
  });

  it.each([
    ["1060", RecipientUnreachableError], // blocked recipient number
    ["1061", RecipientUnreachableError], // opted out through 080
    ["2061", RecipientUnreachableError], // opted out through 080
    ["1030", ChannelRejectedError], // balance too low
    ["1029", ChannelRejectedError], // characters outside EUC-KR
    ["2062", ChannelRejectedError], // sender number not registered
    ["1024", ChannelUnavailableError], // Solapi server error
    ["2024", ChannelUnavailableError], // Solapi server error
  ])("maps Solapi's %s to %o (developers.solapi.com/references/message-status-codes)", async (code, type) => {
    f.failWith(code);
    const e = await channel.send({ to: channel.address(KR)!, content: { text: "a" }, context: sendContext(KR) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(type);
    expect(e).toMatchObject({ providerCode: code });
    expect(f.fake.problems).toEqual([]);
  });

  it("a poll that finds a dead number (3032 not a subscriber) invalidates it; a switched-off handset (3043) does not", async () => {
    f.reportWith("3032");
    await expect(channel.poll("M4V2")).resolves.toMatchObject({ status: "failed", providerCode: "3032", reason: "status 3032", invalidateContact: true });
    f.reportWith("3043");
    const off = await channel.poll("M4V3");
    expect(off).toMatchObject({ status: "failed", providerCode: "3043" });
    expect(off).not.toHaveProperty("invalidateContact");
    f.reportWith("3000");
    await expect(channel.poll("M4V4")).resolves.toMatchObject({ status: "sent" });
  });
});

describe("routing by country", () => {
  const f = twilioFake();
  afterAll(() => f.fake.close());

  it("sends non-Korean numbers through Twilio and Korean ones through the Korean provider", async () => {
    const channel = smsChannel({ provider: { type: "sandbox" }, twilio: twilioConfig(await f.fake.start()) });
    const us = person("+1 415 555 0100");
    const r = await channel.send({ to: channel.address(us)!, content: { text: "Hello 😀" }, context: sendContext(us) });
    expect(r).toMatchObject({ messageType: "INTL_SMS", cost: { amount: 80, currency: "KRW" } });
    expect(new URLSearchParams(f.fake.last()!.raw).get("To")).toBe("+14155550100");
    const kr = await channel.send({ to: channel.address(KR)!, content: { text: "안녕" }, context: sendContext(KR) });
    expect(kr.providerMessageId).toMatch(/^sandbox-sms-/);
    expect(f.fake.requests).toHaveLength(1);
  });

  it("has no address outside Korea without Twilio", () => {
    const channel = smsChannel({ provider: { type: "sandbox" } });
    expect(channel.address(person("+14155550100"))).toBeNull();
    expect(channel.address(person("+821012345678"))).toBe("+821012345678");
    expect(channel.address(person("+821012345678", { contacts: { phone: "+821012345678", invalid: { phone: { reason: "dead", at: 1 } } } }))).toBeNull();
  });

  it("refuses an emoji for Korea even in sandbox mode", async () => {
    const channel = smsChannel({ provider: { type: "sandbox" } });
    await expect(channel.send({ to: "+821012345678", content: { text: "🎉 세일" }, context: sendContext(KR) })).rejects.toBeInstanceOf(ValidationError);
  });
});
