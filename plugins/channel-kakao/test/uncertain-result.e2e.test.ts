import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { nhnCloudKakao } from "@nudge/provider-nhncloud";
import { sms } from "@nudge/channel-sms";
import { kakao } from "../src/index.js";
import { NHN, nhnKakaoFake } from "../../provider-nhncloud/test/kakao/nhn-kakao.fake.js";
import { nhnResultHook } from "../../provider-nhncloud/test/kakao/harness.js";
import { TEXT } from "./harness.js";

const WS = "acme";
const LMS = "(광고)아크미\n봄 신상품이 도착했어요. 지금 확인해 보세요.\n무료수신거부 080-123-4567";

/**
 * Kakao's 3005 ("success uncertain") through NHN Cloud: the message may well be on the phone, so it is neither a
 * failure nor a reason to fall back (a second, paid message): it stays sent and is reconciled by polling.
 */
describe("NHN Cloud 3005 (success uncertain), end to end", () => {
  const f = nhnKakaoFake();
  let url: string;
  let nudge: Nudge | null = null;
  beforeAll(async () => {
    url = await f.fake.start();
  });
  afterAll(() => f.fake.close());
  afterEach(async () => {
    await nudge?.stop();
    nudge = null;
  });

  async function setup(clock: FakeClock) {
    nudge = await createNudge({
      workspace: WS,
      plugins: [
        storageMemory(),
        kakao({ providers: ["nhncloud"] }),
        nhnCloudKakao({ appKey: NHN.appKey, secretKey: NHN.secretKey, senderKey: NHN.senderKey, baseUrl: url, webhookSignature: NHN.signature }),
        sms({ senders: ["+8215880000"], optOutNumber: "080-123-4567" }),
      ],
      logger: silentLogger(),
      clock,
    });
    await nudge.start();
    await nudge.identify({ userId: "u1", traits: { phone: "010-1234-5678" } });
    await nudge.drain();
    const store = nudge.resolve(Tokens.ProfileStore);
    const p = (await store.getByUserId(WS, "u1"))!;
    await store.save({ ...p, contacts: { ...p.contacts, kakao: { channelFriend: true } } });
    for (const channel of ["kakao", "sms"]) await nudge.profiles.setSubscription(p.id, { channel, state: "subscribed", source: "test" });
    return nudge;
  }

  const only = async (n: Nudge) => (await n.resolve(Tokens.MessageStore).list(WS, { limit: 10 })).items[0]!;

  it("is not failed, sends no fallback, and a later poll answering delivered marks it delivered", async () => {
    const clock = new FakeClock("2026-03-02T03:00:00Z"); // 12:00 KST
    const n = await setup(clock);
    f.failNext("uncertain");
    const before = f.accepted();
    await n.send({ userId: "u1", idempotencyKey: "u-1", channel: "kakao", content: TEXT, fallback: [{ channel: "sms", content: { text: LMS } }], marketing: true });
    await n.drain();
    let m = await only(n);
    expect(m).toMatchObject({ status: "sent", channel: "kakao" });
    expect(m.attempts).toEqual([expect.objectContaining({ channel: "kakao", provider: "nhncloud", status: "sent", providerCode: "3005" })]);
    expect(f.accepted() - before).toBe(1);
    expect(n.sandbox.list({ channel: "sms" })).toHaveLength(0);

    // NHN's result webhook repeating 3005 changes nothing either: no failure, no fallback.
    const id = m.attempts[0]!.providerMessageId!;
    const hook = await n.webhooks.handle("kakao", "nhncloud", { headers: { "x-toast-webhook-signature": NHN.signature }, rawBody: Buffer.from(JSON.stringify(nhnResultHook(id, "3005"))), query: {} });
    expect(hook.reports).toEqual([expect.objectContaining({ providerMessageId: id, status: "sent", providerCode: "3005" })]);
    await n.drain();
    m = await only(n);
    expect(m).toMatchObject({ status: "sent", channel: "kakao" });
    expect(n.sandbox.list({ channel: "sms" })).toHaveLength(0);

    // Upkeep polls it after 5 minutes; NHN's poll answers 1000 (delivered).
    clock.advance(6 * 60_000);
    await n.drain();
    m = await only(n);
    expect(m.status).toBe("delivered");
    expect(m.attempts).toEqual([expect.objectContaining({ channel: "kakao", status: "delivered", providerCode: "1000" })]);
    expect(n.sandbox.list({ channel: "sms" })).toHaveLength(0);
    expect(f.accepted() - before).toBe(1);
    expect(f.contractViolations()).toEqual([]);
  });
});
