import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelDeferredError, ChannelRejectedError, ChannelUnavailableError, FakeClock, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { NHN, nhnKakaoFake } from "./nhn-kakao.fake.js";
import { kakaoThroughNhn, nhnProvider, person, TEXT } from "./harness.js";

const friend = person("+821012345678", true);
// 2026-03-02 20:55 KST: Kakao would answer 3022; the channel defers to 08:00 KST the next morning.
const lateEvening = Date.parse("2026-03-02T20:55:00+09:00");
const nextMorning = Date.parse("2026-03-03T08:00:00+09:00");
const alimtalk = { kind: "alimtalk" as const, templateCode: "ORDER_OK", variables: { name: "김민준", orderNo: "A-1" } };

describe("NHN Cloud Brand Message and AlimTalk contract", () => {
  const f = nhnKakaoFake();
  let channel: Awaited<ReturnType<typeof kakaoThroughNhn>>;
  beforeAll(async () => {
    const resend = { enabled: true, type: "LMS" as const, sendNo: "1588-0000", unsubscribeNo: "080-123-4567" };
    channel = await kakaoThroughNhn(await f.fake.start(), { nhn: { resend }, clock: new FakeClock(lateEvening) });
  });
  afterAll(() => f.fake.close());
  const send = (content: unknown, idem = `k-${Math.random()}`) => channel.send({ to: "+821012345678", content: content as typeof TEXT, context: sendContext(friend, { idempotencyKey: idem, now: lateEvening }) });

  it("posts the freestyle body with the secret key, idempotency key, targeting, grouping key and resend parameters", async () => {
    const r = await send(TEXT, "idem-1");
    const req = f.fake.last()!;
    expect(req.path).toBe(`/brand-message/v1.0/appkeys/${NHN.appKey}/freestyle-messages`);
    expect(req.headers["x-nc-api-idempotency-key"]).toBe("idem-1");
    expect(req.json).toEqual({
      senderKey: NHN.senderKey,
      chatBubbleType: "TEXT",
      content: TEXT.content,
      buttons: [{ name: "보러 가기", type: "WL", linkMo: "https://shop.example.com/spring" }],
      recipientList: [{ recipientNo: "01012345678", targeting: "I", recipientGroupingKey: "idem-1", resendParameter: { isResend: true, resendType: "LMS", resendSendNo: "15880000", resendUnsubscribeNo: "0801234567" } }],
    });
    expect(r).toMatchObject({ provider: "nhncloud", providerMessageId: expect.stringMatching(/:1$/), messageType: "BMS_TEXT", cost: { amount: 20, currency: "KRW" } });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends AlimTalk to the v2.3 API with template parameters, and its resend without an 080 number", async () => {
    await send(alimtalk, "idem-a");
    expect(f.fake.last()!.path).toBe(`/alimtalk/v2.3/appkeys/${NHN.appKey}/messages`);
    expect(f.fake.last()!.json).toEqual({
      senderKey: NHN.senderKey,
      templateCode: "ORDER_OK",
      recipientList: [{ recipientNo: "01012345678", templateParameter: { name: "김민준", orderNo: "A-1" }, recipientGroupingKey: "idem-a", resendParameter: { isResend: true, resendType: "LMS", resendSendNo: "15880000" } }],
    });
    expect(f.fake.problems).toEqual([]);
  });

  it("maps Kakao's answers: not deliverable (3018) falls back, outside hours (3022) defers to 08:00 KST", async () => {
    f.failNext("not_friend");
    await expect(send(TEXT)).rejects.toMatchObject({ constructor: RecipientUnreachableError, providerCode: "3018" });
    f.failNext("outside_hours");
    const e = await send(TEXT).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChannelDeferredError);
    expect(e).toMatchObject({ providerCode: "3022", notBefore: nextMorning });
  });

  it("maps an invalid sender key and a rate limit", async () => {
    f.failNext("invalid_sender_key");
    await expect(send(TEXT)).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "-1006" });
    f.failNext("rate_limited");
    await expect(send(TEXT)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("answers a repeated idempotency key (-1005) with the message the first request made, found by its grouping key", async () => {
    const first = await send(TEXT, "same-key");
    const again = await send(TEXT, "same-key");
    expect(again.providerMessageId).toBe(first.providerMessageId);
    const lookup = f.fake.last()!;
    expect(lookup.method).toBe("GET");
    expect(lookup.path).toBe(`/brand-message/v1.0/appkeys/${NHN.appKey}/messages`);
    expect(lookup.query.get("recipientGroupingKey")).toBe("same-key");
    expect(f.fake.problems).toEqual([]);
  });

  it("retries later when the first request under a repeated key made no message", async () => {
    f.failNext("transient");
    await expect(send(TEXT, "after-error")).rejects.toMatchObject({ constructor: ChannelUnavailableError, providerCode: "-9999" });
    await expect(send(TEXT, "after-error")).rejects.toMatchObject({ constructor: ChannelUnavailableError, providerCode: "-1005", retryable: true });
  });

  it("throws the first request's Kakao refusal for a repeated key", async () => {
    f.failNext("not_friend");
    await expect(send(TEXT, "refused-key")).rejects.toBeInstanceOf(RecipientUnreachableError);
    await expect(send(TEXT, "refused-key")).rejects.toMatchObject({ constructor: RecipientUnreachableError, providerCode: "3018" });
  });

  it("polls one message's result through the channel, by provider id", async () => {
    const r = await send(TEXT);
    await expect(channel.poll({ provider: "nhncloud", providerMessageId: r.providerMessageId!, messageType: "BMS_TEXT" })).resolves.toMatchObject({ status: "delivered", providerCode: "1000", at: Date.parse("2026-03-02T10:00:04+09:00") });
    expect(f.fake.last()!.path).toBe(`/brand-message/v1.0/appkeys/${NHN.appKey}/messages/${r.providerMessageId!.replace(":", "/")}`);
    const a = await send(alimtalk);
    await channel.poll({ provider: "nhncloud", providerMessageId: a.providerMessageId!, messageType: "ALIMTALK" });
    expect(f.fake.last()!.path).toMatch(/^\/alimtalk\/v2\.3\//);
  });
});

describe("NHN Cloud lookup by Nudge's idempotency key", () => {
  const f = nhnKakaoFake();
  let provider: Awaited<ReturnType<typeof nhnProvider>>;
  beforeAll(async () => {
    provider = await nhnProvider(await f.fake.start());
  });
  afterAll(() => f.fake.close());
  const ctx = (idempotencyKey: string) => ({ ...sendContext(friend, { idempotencyKey, channel: "kakao" }), now: Date.parse("2026-03-02T10:00:00+09:00") });

  it("finds AlimTalk on its own API, and a long key by its hash (grouping keys hold 100 characters)", async () => {
    const long = `enr-${"x".repeat(120)}:step-1:kakao`;
    const sent = await provider.send({ to: "+821012345678", payload: { kind: "alimtalk", templateCode: "ORDER_OK", variables: {} }, messageType: "ALIMTALK", context: ctx(long) });
    const body = f.fake.requests.find((r) => r.method === "POST")!.json as { recipientList: { recipientGroupingKey: string }[] };
    expect(body.recipientList[0]!.recipientGroupingKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    await expect(provider.lookup!(ctx(long))).resolves.toMatchObject({ providerMessageId: sent.providerMessageId });
    await expect(provider.lookup!(ctx("never-sent"))).resolves.toBeNull();
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses a number outside Korea without calling NHN", async () => {
    const before = f.fake.requests.length;
    await expect(provider.send({ to: "+14155550100", payload: { ...TEXT, targeting: "I" }, messageType: "BMS_TEXT", context: ctx("us") })).rejects.toMatchObject({ providerCode: "NUDGE_NO_ROUTE" });
    expect(f.fake.requests.length).toBe(before);
  });
});
