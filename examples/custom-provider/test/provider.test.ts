import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelRejectedError, ChannelUnavailableError, createNudge, silentLogger } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin } from "@nudge/core/testkit";
import { sms, type SmsContent, type SmsProvider } from "@nudge/channel-sms";
import { storageMemory } from "@nudge/storage-memory";
import { aligoSms } from "../src/index.js";
import { aligoFake } from "./aligo.fake.js";
import { aligoProvider, KOREAN, smsCall } from "./harness.js";

describe("aligo provider: what the conformance kit does not pin", () => {
  const f = aligoFake();
  let url: string;
  let provider: SmsProvider;
  beforeAll(async () => {
    url = await f.fake.start();
    provider = await aligoProvider(url);
  });
  afterAll(() => f.fake.close());

  it("sends an SMS as form fields in national digits, with msg_type and no title", async () => {
    const result = await provider.send(smsCall());
    expect(result).toMatchObject({ status: "sent", messageType: "SMS", providerCode: "1" });
    const form = new URLSearchParams(f.fake.last()!.raw);
    expect(Object.fromEntries(form)).toEqual({ key: "aligo-key-1", user_id: "acme-sms", sender: "0212345678", receiver: "01012345678", msg: "주문하신 상품이 출발했습니다.", msg_type: "SMS" });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends an LMS with its title, and testmode_yn=Y only in test mode", async () => {
    const test = await aligoProvider(url, { testMode: true });
    const text = "긴 안내문입니다. ".repeat(12);
    await test.send(smsCall({}, { type: "LMS", title: "배송 안내", text }));
    expect(f.sent.at(-1)).toMatchObject({ msgType: "LMS", title: "배송 안내", testMode: true });
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses MMS and international messages before calling Aligo", async () => {
    const before = f.fake.requests.length;
    const mms = smsCall({}, { type: "MMS", images: [{ ref: "file-1", name: "a.jpg", sizeBytes: 1000 }] });
    await expect(provider.send(mms)).rejects.toMatchObject({ code: "NUDGE_CHANNEL_REJECTED", providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    const intl = { ...smsCall({}, { type: "INTL_SMS" }), to: "+14155550100" };
    delete intl.payload.from;
    await expect(provider.send(intl)).rejects.toBeInstanceOf(ChannelRejectedError);
    expect(f.fake.requests.length).toBe(before);
    expect(provider.images).toEqual({ max: 0, maxBytes: 0 });
  });

  it("lets the sms channel refuse an MMS at prepare(), before Aligo is called", async () => {
    const { channel, close } = await startChannelPlugin<SmsContent>(sms({ senders: ["021234567"], providers: ["aligo"] }), { providers: [aligoSms({ apiKey: "k", userId: "u", baseUrl: url })] });
    const before = f.fake.requests.length;
    const context = sendContext(aProfile("acme", { userId: "u1", contacts: { phone: KOREAN } }), { channel: "sms" });
    expect(() => channel.prepare!({ text: "사진", images: [{ ref: "file-1", name: "a.jpg", sizeBytes: 1000 }] }, context)).toThrow(/aligo takes at most 0 image/);
    expect(f.fake.requests.length).toBe(before);
    await close();
  });

  it("maps wrong credentials to Aligo's -101 refusal, kept as the provider code", async () => {
    const wrong = await aligoProvider(url, { apiKey: "not-the-key" });
    await expect(wrong.send(smsCall())).rejects.toMatchObject({ code: "NUDGE_CHANNEL_REJECTED", providerCode: "-101", retryable: false });
  });

  it("treats a 5xx as transient, and a 429 as a rate limit the next provider may take", async () => {
    f.failNext("transient");
    await expect(provider.send(smsCall())).rejects.toBeInstanceOf(ChannelUnavailableError);
    f.failNext("rate_limited");
    await expect(provider.send(smsCall())).rejects.toMatchObject({ code: "NUDGE_CHANNEL_RATE_LIMITED", notSent: true, retryAfterMs: 2000 });
  });

  it("polls /sms_list/ by mid: delivered, failed, or no news yet", async () => {
    const sent = await provider.send(smsCall());
    const mid = sent.providerMessageId!;
    expect(await provider.poll!(mid, "SMS")).toMatchObject({ providerMessageId: mid, status: "delivered", at: Date.parse("2026-03-02T03:00:04Z") });
    const form = new URLSearchParams(f.fake.last()!.raw);
    expect(f.fake.last()!.path).toBe("/sms_list/");
    expect(Object.fromEntries(form)).toEqual({ key: "aligo-key-1", user_id: "acme-sms", userid: "acme-sms", mid });

    f.sent.at(-1)!.state = "발송실패";
    expect(await provider.poll!(mid, "SMS")).toMatchObject({ status: "failed", reason: "발송실패" });
    f.sent.at(-1)!.state = "전송중";
    expect(await provider.poll!(mid, "SMS")).toBeNull();
    expect(await provider.poll!("999", "SMS")).toBeNull();
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses a config without its secrets, naming the plugin and the field", async () => {
    await expect(createNudge({ workspace: "w", plugins: [storageMemory(), aligoSms({ apiKey: "k" } as never)], logger: silentLogger() })).rejects.toMatchObject({
      pluginId: "aligo",
      issues: [expect.objectContaining({ path: "userId" })],
    });
  });
});
