import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelDeferredError, ChannelRejectedError, ChannelUnavailableError, FakeClock, RecipientUnreachableError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { SOLAPI, solapiKakaoFake } from "./solapi-kakao.fake.js";
import { SolapiKakaoConfig } from "../../src/index.js";
import { defaultNow, kakaoThroughSolapi, person, solapiConfig, solapiProvider, TEXT } from "./harness.js";

const friend = person("+821012345678", true);
// 2026-03-02 20:55 KST: Kakao would refuse (3108); the channel defers to 08:00 KST the next morning.
const lateEvening = Date.parse("2026-03-02T20:55:00+09:00");
const nextMorning = Date.parse("2026-03-03T08:00:00+09:00");
const alimtalk = { kind: "alimtalk" as const, templateCode: "ORDER_OK", variables: { name: "김민준", orderNo: "A-1" } };

describe("Solapi Brand Message and AlimTalk contract", () => {
  const f = solapiKakaoFake(() => defaultNow);
  let channel: Awaited<ReturnType<typeof kakaoThroughSolapi>>;
  beforeAll(async () => {
    channel = await kakaoThroughSolapi(await f.fake.start());
  });
  afterAll(() => f.fake.close());
  const send = (content: unknown) => channel.send({ to: "+821012345678", content: content as typeof TEXT, context: sendContext(friend, { idempotencyKey: "s-1" }) });

  it("sends BMS_FREE with kakaoOptions.bms", async () => {
    const r = await send(TEXT);
    expect(f.lastMessage()).toEqual({
      to: "01012345678",
      from: "15880000",
      type: "BMS_FREE",
      text: TEXT.content,
      kakaoOptions: { pfId: SOLAPI.pfId, bms: { targeting: "I", chatBubbleType: "TEXT", buttons: [{ name: "보러 가기", linkType: "WL", linkMobile: "https://shop.example.com/spring" }] } },
      customFields: { nudgeIdempotencyKey: "s-1" },
    });
    expect(r).toMatchObject({ provider: "solapi", messageType: "BMS_TEXT", cost: { amount: 20, currency: "KRW" } });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends ATA with #{} variables and Solapi's own fallback off", async () => {
    await send(alimtalk);
    expect(f.lastMessage()).toEqual({
      to: "01012345678",
      from: "15880000",
      type: "ATA",
      kakaoOptions: { pfId: SOLAPI.pfId, templateId: "ORDER_OK", variables: { "#{name}": "김민준", "#{orderNo}": "A-1" }, disableSms: true },
      customFields: { nudgeIdempotencyKey: "s-1" },
    });
  });

  it("needs Solapi image ids and maps 3102 / 3108", async () => {
    await expect(send({ kind: "brand", chatBubbleType: "IMAGE", content: "x", image: { url: "https://cdn.example.com/a.jpg" } })).rejects.toMatchObject({ issues: [{ path: "image.id" }] });
    f.failNext("not_friend");
    await expect(send(TEXT)).rejects.toMatchObject({ constructor: RecipientUnreachableError, providerCode: "3102" });
    f.failNext("outside_hours");
    await expect(send(TEXT)).rejects.toBeInstanceOf(ChannelDeferredError);
  });

  it("polls a message through the channel by provider id", async () => {
    const r = await send(TEXT);
    await expect(channel.poll({ provider: "solapi", providerMessageId: r.providerMessageId!, messageType: "BMS_TEXT" })).resolves.toMatchObject({ providerMessageId: r.providerMessageId, status: "delivered", providerCode: "4000" });
    await expect(channel.poll({ provider: "solapi", providerMessageId: "M4V-unknown" })).resolves.toBeNull();
    expect(f.fake.problems).toEqual([]);
  });
});

describe("Solapi's own SMS fallback (대체발송), set on the provider", () => {
  const f = solapiKakaoFake(() => defaultNow);
  afterAll(() => f.fake.close());

  it("sends ATA with disableSms: false from the registered number when enabled", async () => {
    const channel = await kakaoThroughSolapi(await f.fake.start(), { solapi: { from: "02-1234-5678", resend: { enabled: true } } });
    await channel.send({ to: "+821012345678", content: alimtalk, context: sendContext(friend) });
    expect(f.lastMessage()).toMatchObject({ type: "ATA", from: "0212345678", kakaoOptions: { disableSms: false } });
    expect(f.fake.problems).toEqual([]);
  });
});

describe("Solapi's required `from` on Kakao messages (solapi/documents api-reference/messages/sendSimpleMessage.md)", () => {
  const f = solapiKakaoFake(() => defaultNow);
  afterAll(() => f.fake.close());

  it("sends the registered number as `from` on BMS_FREE and on ATA without a fallback", async () => {
    const channel = await kakaoThroughSolapi(await f.fake.start());
    await channel.send({ to: "+821012345678", content: TEXT, context: sendContext(friend) });
    expect(f.lastMessage()).toMatchObject({ type: "BMS_FREE", from: "15880000" });
    await channel.send({ to: "+821012345678", content: alimtalk, context: sendContext(friend) });
    expect(f.lastMessage()).toMatchObject({ type: "ATA", from: "15880000", kakaoOptions: { disableSms: true } });
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses a configuration without `from`, naming the field", async () => {
    const { from: _from, ...without } = solapiConfig("http://127.0.0.1:9");
    const parsed = SolapiKakaoConfig.safeParse(without);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([expect.objectContaining({ path: ["from"], message: expect.stringContaining("is required: the sender number registered at Solapi") })]);
    await expect(solapiProvider("http://127.0.0.1:9", { from: undefined as unknown as string })).rejects.toThrow(/from/);
    expect(SolapiKakaoConfig.safeParse({ ...without, from: "call me" }).error!.issues[0]).toMatchObject({ path: ["from"], message: expect.stringContaining("phone number") });
  });

  it("refuses the old resend.sendNo with a message naming its replacement", () => {
    const parsed = SolapiKakaoConfig.safeParse({ ...solapiConfig("http://127.0.0.1:9"), resend: { enabled: true, sendNo: "1588-0000" } });
    expect(parsed.error!.issues[0]).toMatchObject({ path: ["resend", "sendNo"], message: expect.stringContaining("moved to `from`") });
  });
});

describe("Solapi's status codes for Kakao (developers.solapi.com/references/message-status-codes)", () => {
  const f = solapiKakaoFake(() => lateEvening);
  let channel: Awaited<ReturnType<typeof kakaoThroughSolapi>>;
  beforeAll(async () => {
    channel = await kakaoThroughSolapi(await f.fake.start(), { clock: new FakeClock(lateEvening) });
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

  it("3108 (outside sending hours) defers to the channel's next opening", async () => {
    const e = await refused("3108");
    expect(e).toBeInstanceOf(ChannelDeferredError);
    expect(e).toMatchObject({ providerCode: "3108", notBefore: nextMorning });
    expect(f.fake.problems).toEqual([]);
  });
});

describe("Solapi provider alone", () => {
  it("refuses a number outside Korea without calling Solapi", async () => {
    const f = solapiKakaoFake(() => defaultNow);
    const provider = await solapiProvider(await f.fake.start());
    await expect(provider.send({ to: "+14155550100", payload: { ...TEXT, targeting: "I" }, messageType: "BMS_TEXT", context: sendContext(friend, { channel: "kakao" }) })).rejects.toMatchObject({ providerCode: "NUDGE_NO_ROUTE" });
    expect(f.fake.requests).toHaveLength(0);
    await f.fake.close();
  });
});
