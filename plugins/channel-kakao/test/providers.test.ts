import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelDeferredError, ChannelRejectedError, ChannelUnavailableError, FakeClock, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { NHN, nhnKakaoFake } from "./nhn-kakao.fake.js";
import { SOLAPI, solapiKakaoFake } from "./solapi-kakao.fake.js";
import { kakaoChannel, nhnProvider, person, solapiProvider, TEXT } from "./harness.js";

const friend = person("+821012345678", true);
// 2026-03-02 20:55 KST: Kakao would answer 3022; the channel defers to 08:00 KST the next morning.
const lateEvening = Date.parse("2026-03-02T20:55:00+09:00");
const nextMorning = Date.parse("2026-03-03T08:00:00+09:00");

describe("NHN Cloud Brand Message and AlimTalk contract", () => {
  const f = nhnKakaoFake();
  let channel: ReturnType<typeof kakaoChannel>;
  beforeAll(async () => {
    channel = kakaoChannel({ provider: nhnProvider(await f.fake.start()), resend: { enabled: true, type: "LMS", sendNo: "1588-0000", unsubscribeNo: "080-123-4567" } }, { clock: new FakeClock(lateEvening) });
  });
  afterAll(() => f.fake.close());
  const send = (content: unknown, idem = `k-${Math.random()}`) => channel.send({ to: "+821012345678", content: content as typeof TEXT, context: sendContext(friend, { idempotencyKey: idem }) });

  it("posts the freestyle body with the secret key, idempotency key, targeting and resend parameters", async () => {
    const r = await send(TEXT, "idem-1");
    const req = f.fake.last()!;
    expect(req.path).toBe(`/brand-message/v1.0/appkeys/${NHN.appKey}/freestyle-messages`);
    expect(req.headers["x-nc-api-idempotency-key"]).toBe("idem-1");
    expect(req.json).toEqual({
      senderKey: NHN.senderKey,
      chatBubbleType: "TEXT",
      content: TEXT.content,
      buttons: [{ name: "보러 가기", type: "WL", linkMo: "https://shop.example.com/spring" }],
      recipientList: [{ recipientNo: "01012345678", targeting: "I", resendParameter: { isResend: true, resendType: "LMS", resendSendNo: "15880000", resendUnsubscribeNo: "0801234567" } }],
    });
    expect(r).toMatchObject({ providerMessageId: expect.stringMatching(/:1$/), messageType: "BMS_TEXT", cost: { amount: 20, currency: "KRW" } });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends AlimTalk to the v2.3 API with template parameters", async () => {
    await send({ kind: "alimtalk", templateCode: "ORDER_OK", variables: { name: "김민준", orderNo: "A-1" } });
    expect(f.fake.last()!.path).toBe(`/alimtalk/v2.3/appkeys/${NHN.appKey}/messages`);
    expect(f.fake.last()!.json).toMatchObject({ templateCode: "ORDER_OK", recipientList: [{ recipientNo: "01012345678", templateParameter: { name: "김민준", orderNo: "A-1" } }] });
  });

  it("maps Kakao's answers: not deliverable (3018) falls back, outside hours (3022) defers to 08:00 KST", async () => {
    f.failNext("not_friend");
    await expect(send(TEXT)).rejects.toMatchObject({ constructor: RecipientUnreachableError, providerCode: "3018" });
    f.failNext("outside_hours");
    const e = await send(TEXT).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChannelDeferredError);
    expect(e).toMatchObject({ providerCode: "3022", notBefore: nextMorning });
  });

  it("maps an invalid sender key, a rate limit and a repeated idempotency key", async () => {
    f.failNext("invalid_sender_key");
    await expect(send(TEXT)).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "-1006" });
    f.failNext("rate_limited");
    await expect(send(TEXT)).rejects.toBeInstanceOf(RateLimitedError);
    await send(TEXT, "same-key");
    await expect(send(TEXT, "same-key")).rejects.toMatchObject({ providerCode: "-1005", retryable: false });
  });

  it("polls one message's result", async () => {
    const r = await send(TEXT);
    await expect(channel.poll(r.providerMessageId!, "BMS_TEXT")).resolves.toMatchObject({ status: "delivered", providerCode: "1000", at: Date.parse("2026-03-02T10:00:04+09:00") });
  });
});

describe("Solapi Brand Message and AlimTalk contract", () => {
  const f = solapiKakaoFake();
  let channel: ReturnType<typeof kakaoChannel>;
  beforeAll(async () => {
    channel = kakaoChannel({ provider: solapiProvider(await f.fake.start()) }, { clock: { now: () => Date.now() } });
  });
  afterAll(() => f.fake.close());
  const send = (content: unknown) => channel.send({ to: "+821012345678", content: content as typeof TEXT, context: sendContext(friend, { idempotencyKey: "s-1" }) });

  it("sends BMS_FREE with kakaoOptions.bms", async () => {
    await send(TEXT);
    expect(f.lastMessage()).toEqual({
      to: "01012345678",
      type: "BMS_FREE",
      text: TEXT.content,
      kakaoOptions: { pfId: SOLAPI.pfId, bms: { targeting: "I", chatBubbleType: "TEXT", buttons: [{ name: "보러 가기", linkType: "WL", linkMobile: "https://shop.example.com/spring" }] } },
      customFields: { nudgeIdempotencyKey: "s-1" },
    });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends ATA with #{} variables and Solapi's own fallback off", async () => {
    await send({ kind: "alimtalk", templateCode: "ORDER_OK", variables: { name: "김민준", orderNo: "A-1" } });
    expect(f.lastMessage()).toMatchObject({ type: "ATA", kakaoOptions: { templateId: "ORDER_OK", variables: { "#{name}": "김민준", "#{orderNo}": "A-1" }, disableSms: true } });
  });

  it("needs Solapi image ids and maps 3102 / 3108", async () => {
    await expect(send({ kind: "brand", chatBubbleType: "IMAGE", content: "x", image: { url: "https://cdn.example.com/a.jpg" } })).rejects.toMatchObject({ issues: [{ path: "image.id" }] });
    f.failNext("not_friend");
    await expect(send(TEXT)).rejects.toMatchObject({ constructor: RecipientUnreachableError, providerCode: "3102" });
    f.failNext("outside_hours");
    await expect(send(TEXT)).rejects.toBeInstanceOf(ChannelDeferredError);
  });
});

describe("Solapi's status codes for Kakao (developers.solapi.com/references/message-status-codes)", () => {
  const f = solapiKakaoFake();
  let channel: ReturnType<typeof kakaoChannel>;
  beforeAll(async () => {
    channel = kakaoChannel({ provider: solapiProvider(await f.fake.start()) }, { clock: new FakeClock(lateEvening) });
  });
  afterAll(() => f.fake.close());
  const refused = (code: string) => {
    f.failWith(code);
    return channel.send({ to: "+821012345678", content: TEXT, context: sendContext(friend) }).catch((e: unknown) => e);
  };

  it.each([
    ["3102", RecipientUnreachableError], // not a channel friend
    ["3104", RecipientUnreachableError], // not a KakaoTalk user
    ["3107", RecipientUnreachableError], // no KakaoTalk in 72 hours / AlimTalk blocked
    ["1060", RecipientUnreachableError], // blocked recipient number
    ["3101", ChannelRejectedError], // invalid sender profile key
    ["3103", ChannelRejectedError], // text does not match the template
    ["3105", ChannelRejectedError], // template not registered
    ["3106", ChannelRejectedError], // invalid channel id
    ["1062", ChannelRejectedError], // unregistered sender number
    ["1024", ChannelUnavailableError], // Solapi server error
    ["2024", ChannelUnavailableError], // Solapi server error
  ])("%s -> %o", async (code, type) => {
    const e = await refused(code);
    expect(e).toBeInstanceOf(type);
    expect(e).toMatchObject({ providerCode: code });
  });

  it("3108 (outside sending hours) defers to the window's next opening", async () => {
    const e = await refused("3108");
    expect(e).toBeInstanceOf(ChannelDeferredError);
    expect(e).toMatchObject({ providerCode: "3108", notBefore: nextMorning });
    expect(f.fake.problems).toEqual([]);
  });
});

describe("channel friends", () => {
  it("a known non-friend has no address on kakao-friendtalk and is unreachable for targeting I on kakao", async () => {
    const stranger = person("+821012345678", false);
    expect(kakaoChannel({}, { id: "kakao-friendtalk" }).address(stranger)).toBeNull();
    const channel = kakaoChannel({});
    expect(channel.address(stranger)).toBe("+821012345678");
    await expect(channel.send({ to: "+821012345678", content: TEXT, context: sendContext(stranger) })).rejects.toMatchObject({ providerCode: "NUDGE_NOT_CHANNEL_FRIEND" });
    // AlimTalk reaches any KakaoTalk user.
    const ok = await channel.send({ to: "+821012345678", content: { kind: "alimtalk", templateCode: "ORDER_OK", variables: { name: "a", orderNo: "b" } }, context: sendContext(stranger) });
    expect(ok.messageType).toBe("ALIMTALK");
  });
});
