import { afterEach, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { sms, asAdvertisement } from "@nudge/channel-sms";
import { kakao } from "../src/index.js";
import { TEXT } from "./harness.js";

const WS = "acme";
let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

/**
 * A Nudge instance with both Korean channels in sandbox mode and a person subscribed to both. Messages go
 * through `nudge.send`, the same dispatch pipeline a journey's send step uses.
 */
async function setup(clock: FakeClock, channelFriend: boolean) {
  nudge = await createNudge({
    workspace: WS,
    plugins: [storageMemory(), kakao(), sms({ senders: ["+8215880000"], optOutNumber: "080-123-4567" })],
    logger: silentLogger(),
    clock,
  });
  await nudge.start();
  await nudge.identify({ userId: "u1", traits: { phone: "010-1234-5678" } });
  await nudge.drain();
  const store = nudge.resolve(Tokens.ProfileStore);
  const p = (await store.getByUserId(WS, "u1"))!;
  await store.save({ ...p, contacts: { ...p.contacts, kakao: { channelFriend } } });
  for (const channel of ["kakao", "sms"]) await nudge.profiles.setSubscription(p.id, { channel, state: "subscribed", source: "test" });
  return nudge;
}

const lms = asAdvertisement(`${"봄 신상품이 도착했어요. ".repeat(4)}지금 확인해 보세요.`, { brand: "아크미", optOutNumber: "080-123-4567" });

/** The send step of a marketing journey: Brand Message first, LMS as the fallback. */
function promo(n: Nudge, key: string) {
  return n.send({ userId: "u1", idempotencyKey: key, channel: "kakao", content: TEXT, fallback: [{ channel: "sms", content: { text: lms } }], marketing: true });
}

async function messages(n: Nudge) {
  return (await n.resolve(Tokens.MessageStore).list(WS, { limit: 10 })).items;
}

describe("Kakao -> SMS fallback, end to end", () => {
  it("a non-friend falls back to LMS with both attempts logged", async () => {
    const clock = new FakeClock("2026-03-02T03:00:00Z"); // 12:00 KST
    const n = await setup(clock, false);
    await promo(n, "e1");
    await n.drain();
    const [m] = await messages(n);
    expect(m).toMatchObject({ status: "sent", channel: "sms" });
    expect(m!.attempts).toEqual([
      expect.objectContaining({ channel: "kakao", provider: "sandbox", status: "unreachable", providerCode: "NUDGE_NOT_CHANNEL_FRIEND" }),
      expect.objectContaining({ channel: "sms", provider: "sandbox", status: "sent", messageType: "LMS", cost: { amount: 30, currency: "KRW" } }),
    ]);
    expect(n.sandbox.list({ channel: "kakao" })).toHaveLength(0);
    expect(n.sandbox.list({ channel: "sms" })).toHaveLength(1);
  });

  it("a friend gets the Brand Message, priced, and no SMS", async () => {
    const n = await setup(new FakeClock("2026-03-02T03:00:00Z"), true);
    await promo(n, "e2");
    await n.drain();
    const [m] = await messages(n);
    expect(m!.attempts).toEqual([expect.objectContaining({ channel: "kakao", status: "sent", messageType: "BMS_TEXT", cost: { amount: 20, currency: "KRW" } })]);
    expect(n.sandbox.list({ channel: "sms" })).toHaveLength(0);
  });

  it("a marketing Kakao message due at 20:55 KST is deferred to 08:00 KST, then sent", async () => {
    const clock = new FakeClock("2026-03-02T11:55:00Z"); // 20:55 KST
    const n = await setup(clock, true);
    await promo(n, "e3");
    await n.drain();
    let [m] = await messages(n);
    expect(m).toMatchObject({ status: "deferred", notBefore: Date.parse("2026-03-03T08:00:00+09:00") });
    expect(m!.decisions).toEqual(expect.arrayContaining([expect.objectContaining({ policy: "kakao-sending-window", outcome: "defer", reason: expect.stringContaining("08:00–20:50") })]));
    expect(n.sandbox.list({ channel: "kakao" })).toHaveLength(0);
    clock.set("2026-03-02T23:00:00Z"); // 08:00 KST
    await n.drain();
    [m] = await messages(n);
    expect(m).toMatchObject({ status: "sent", channel: "kakao" });
    expect(n.sandbox.list({ channel: "kakao" })).toHaveLength(1);
  });
});
