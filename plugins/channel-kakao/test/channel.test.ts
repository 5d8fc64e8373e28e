import { describe, expect, it } from "vitest";
import { ChannelDeferredError, ChannelUnavailableError, FakeClock, NotFoundError, PluginConfigError, Tokens, createNudge, silentLogger } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";
import { kakao } from "../src/index.js";
import { jsonRequest, person, startKakao, TEXT } from "./harness.js";
import { scriptedKakao } from "./scripted-provider.js";

const friend = person("+821012345678", true);
const alimtalk = { kind: "alimtalk" as const, templateCode: "ORDER_OK", variables: { name: "김민준", orderNo: "A-1" } };

describe("channel friends", () => {
  it("a known non-friend has no address on kakao-friendtalk and is unreachable for targeting I on kakao", async () => {
    const stranger = person("+821012345678", false);
    expect((await startKakao({ id: "kakao-friendtalk", friendtalkChannel: false })).channel.address(stranger)).toBeNull();
    const { channel, outbox } = await startKakao();
    expect(channel.address(stranger)).toBe("+821012345678");
    await expect(channel.send({ to: "+821012345678", content: TEXT, context: sendContext(stranger) })).rejects.toMatchObject({ providerCode: "NUDGE_NOT_CHANNEL_FRIEND" });
    expect(outbox.list()).toHaveLength(0);
    // AlimTalk reaches any KakaoTalk user.
    const ok = await channel.send({ to: "+821012345678", content: alimtalk, context: sendContext(stranger) });
    expect(ok).toMatchObject({ messageType: "ALIMTALK", provider: "sandbox", cost: { amount: 8, currency: "KRW" } });
    expect(outbox.list()[0]!.content).toEqual(alimtalk);
  });

  it("has no address outside Korea", async () => {
    const { channel } = await startKakao();
    expect(channel.address(person("+14155550100"))).toBeNull();
  });
});

describe("providers", () => {
  it("sends both channels through one provider set, in the configured failover order", async () => {
    const a = scriptedKakao("first");
    const b = scriptedKakao("second");
    const nudge = await createNudge({ workspace: "acme", plugins: [storageMemory(), kakao({ providers: ["first", "second"] }), a.spec, b.spec], logger: silentLogger(), clock: new FakeClock("2026-03-02T03:00:00Z") });
    await nudge.start();
    try {
      await nudge.identify({ userId: "u1", traits: { phone: "010-1234-5678" } });
      await nudge.drain();
      const store = nudge.resolve(Tokens.ProfileStore);
      const p = (await store.getByUserId("acme", "u1"))!;
      await store.save({ ...p, contacts: { ...p.contacts, kakao: { channelFriend: true } } });
      for (const channel of ["kakao", "kakao-friendtalk"]) await nudge.profiles.setSubscription(p.id, { channel, state: "subscribed", source: "test" });
      await nudge.send({ userId: "u1", idempotencyKey: "k1", channel: "kakao", content: TEXT, marketing: true });
      await nudge.send({ userId: "u1", idempotencyKey: "k2", channel: "kakao-friendtalk", content: { content: "봄 세일" }, marketing: true });
      await nudge.drain();
      expect(a.calls.map((c) => [c.context.channel, c.messageType])).toEqual([["kakao", "BMS_TEXT"], ["kakao-friendtalk", "BMS_TEXT"]]);
      expect(b.calls).toHaveLength(0);
    } finally {
      await nudge.stop();
    }
  });

  it("moves to the next provider only when the first provably did not act", async () => {
    const a = scriptedKakao("first");
    const b = scriptedKakao("second");
    const { channel } = await startKakao({ providers: ["first", "second"] }, { providers: [a.spec, b.spec] });
    a.failWith(new ChannelUnavailableError("connection refused", { notSent: true }));
    await expect(channel.send({ to: "+821012345678", content: TEXT, context: sendContext(friend) })).resolves.toMatchObject({ provider: "second", messageType: "BMS_TEXT", cost: { amount: 20, currency: "KRW" } });
    a.failWith(new ChannelUnavailableError("timed out"));
    await expect(channel.send({ to: "+821012345678", content: TEXT, context: sendContext(friend) })).rejects.toBeInstanceOf(ChannelUnavailableError);
    expect(b.calls).toHaveLength(1);
    expect(b.calls[0]).toMatchObject({ to: "+821012345678", messageType: "BMS_TEXT", payload: { ...TEXT, targeting: "I" } });
  });

  it("defers 'outside sending hours' to the window's next opening when the provider gives no time", async () => {
    const p = scriptedKakao("vendor");
    const clock = new FakeClock(Date.parse("2026-03-02T20:55:00+09:00"));
    const { channel } = await startKakao({ providers: ["vendor"] }, { providers: [p.spec], clock });
    p.failWith(new ChannelDeferredError("outside hours", { providerCode: "3022" }));
    const e = await channel.send({ to: "+821012345678", content: TEXT, context: sendContext(friend) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChannelDeferredError);
    expect(e).toMatchObject({ providerCode: "3022", notBefore: Date.parse("2026-03-03T08:00:00+09:00") });
    // A provider's own time is kept.
    p.failWith(new ChannelDeferredError("later", { providerCode: "X", notBefore: 42 }));
    await expect(channel.send({ to: "+821012345678", content: TEXT, context: sendContext(friend) })).rejects.toMatchObject({ notBefore: 42 });
  });

  it("hands webhooks and polls to the provider named, and refuses the ones that take none", async () => {
    const p = scriptedKakao("vendor");
    const { channel } = await startKakao({ providers: ["vendor", "sandbox"] }, { providers: [p.spec] });
    await expect(channel.parseWebhook!(jsonRequest({ id: "M1" }, { "x-scripted": "ok" }), "vendor")).resolves.toMatchObject({ reports: [{ providerMessageId: "M1", status: "delivered" }] });
    await expect(channel.parseWebhook!(jsonRequest({ id: "M1" }), "sandbox")).rejects.toBeInstanceOf(NotFoundError);
    await expect(channel.parseWebhook!(jsonRequest({ id: "M1" }), "solapi")).rejects.toBeInstanceOf(NotFoundError);
    await expect(channel.poll!({ provider: "vendor", providerMessageId: "M1", messageType: "ALIMTALK" })).resolves.toMatchObject({ status: "delivered", providerCode: "vendor:ALIMTALK" });
    await expect(channel.poll!({ provider: "sandbox", providerMessageId: "M1" })).resolves.toBeNull();
  });
});

describe("configuration", () => {
  it("refuses the old provider union and the vendor settings that moved to provider plugins, naming the field", async () => {
    for (const [field, value] of [["provider", { type: "nhncloud" }], ["resend", { enabled: true }], ["timeoutMs", 5000]] as const) {
      const e = await createNudge({ workspace: "acme", plugins: [storageMemory(), kakao({ [field]: value } as never)], logger: silentLogger() }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PluginConfigError);
      expect(String((e as Error).message)).toContain(field);
    }
  });
});
