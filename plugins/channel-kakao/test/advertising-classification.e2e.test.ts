import { afterEach, describe, expect, it } from "vitest";
import { createNudge, FakeClock, PluginConfigError, policies, silentLogger, type Message, type Nudge, type PoliciesConfigInput } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { sms } from "@nudge/channel-sms";
import { kakao } from "../src/index.js";
import { TEXT } from "./harness.js";

const NOON_KST = "2026-03-02T03:00:00Z";
const TEN_PM_KST = "2026-03-02T13:00:00Z";
const AD_SMS = "(광고) 아크미 봄 세일 20% 무료수신거부 080-123-4567";
let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

async function boot(at: string, rules?: PoliciesConfigInput): Promise<Nudge> {
  nudge = await createNudge({
    workspace: "acme",
    plugins: [storageMemory(), kakao(), sms({ senders: ["+8215880000"], optOutNumber: "080-123-4567" }), ...(rules ? [policies(rules)] : [])],
    logger: silentLogger(),
    clock: new FakeClock(at),
  });
  await nudge.start();
  return nudge;
}

/** A Korean person with the given consents (channel id, or [channel id, state]). */
async function person(n: Nudge, userId: string, consents: (string | [string, "subscribed" | "unsubscribed"])[] = []): Promise<string> {
  const p = await n.profiles.resolve({ userId });
  await n.profiles.update(p.id, (q) => ({ ...q, contacts: { ...q.contacts, phone: "+821012345678", kakao: { channelFriend: true } } }));
  for (const c of consents) {
    const [channel, state] = typeof c === "string" ? [c, "subscribed" as const] : c;
    await n.profiles.setSubscription(p.id, { channel, state, source: "signup form" });
  }
  return p.id;
}

const reasons = (m: Message) => m.decisions.map((d) => `${d.policy}/${d.outcome}: ${d.reason}`);

describe("advertising is what the content is, not only what the flag says", () => {
  it("a Brand Message without the marketing flag is marketing: no Kakao consent, not sent", async () => {
    const n = await boot(NOON_KST);
    const profileId = await person(n, "u1");
    const m = await n.send({ profileId, idempotencyKey: "b1", channel: "kakao", content: TEXT });
    expect(m.status).toBe("suppressed");
    expect(m.marketing).toBe(true);
    expect(reasons(m)).toEqual([
      "classification/flag: content is advertising: Brand Message (kakao): sent as marketing (the send did not declare it)",
      'consent/suppress: no marketing consent for channel "kakao" (state: never_asked)',
    ]);
    expect(n.sandbox.list({ channel: "kakao" })).toHaveLength(0);
  });

  it("a Brand Message declared marketing: false is refused with the reason, even with consent", async () => {
    const n = await boot(NOON_KST);
    const profileId = await person(n, "u1", ["kakao"]);
    const m = await n.send({ profileId, idempotencyKey: "b2", channel: "kakao", content: TEXT, marketing: false });
    expect(m.status).toBe("suppressed");
    expect(m.decisions).toEqual([
      expect.objectContaining({
        policy: "classification",
        outcome: "suppress",
        rule: "advertising-content",
        reason: "content is advertising: Brand Message (kakao), but the send declares marketing: false: not sent",
      }),
    ]);
    expect(n.sandbox.list({ channel: "kakao" })).toHaveLength(0);
  });

  it("an AlimTalk without the flag stays informational and goes out without consent", async () => {
    nudge = await createNudge({
      workspace: "acme",
      plugins: [storageMemory(), kakao({ alimtalk: { templates: { ORDER_OK: { variables: ["name"] } } } })],
      logger: silentLogger(),
      clock: new FakeClock(NOON_KST),
    });
    await nudge.start();
    const profileId = await person(nudge, "u1");
    const m = await nudge.send({ profileId, idempotencyKey: "a1", channel: "kakao", content: { kind: "alimtalk", templateCode: "ORDER_OK", variables: { name: "민지" } } });
    expect(m).toMatchObject({ status: "sent", marketing: false, decisions: [] });
  });

  it("an SMS starting with (광고) without the flag follows the night rule: deferred at 22:00 KST", async () => {
    const n = await boot(TEN_PM_KST, { koreanAdRules: { channels: ["sms"] } });
    const profileId = await person(n, "u1", ["sms"]);
    const m = await n.send({ profileId, idempotencyKey: "s1", channel: "sms", content: { text: `  ${AD_SMS}` } });
    expect(m.status).toBe("deferred");
    expect(m.decisions[0]).toMatchObject({ policy: "classification", outcome: "flag", reason: "content is advertising: text starts with (광고) (sms): sent as marketing (the send did not declare it)" });
    expect(m.decisions[1]).toMatchObject({ policy: "korean-ad-rules", rule: "night-window", outcome: "defer" });
    expect(n.sandbox.list({ channel: "sms" })).toHaveLength(0);
  });

  it("an SMS labelled [광고] is advertising too, and the exact-label rule refuses it", async () => {
    const n = await boot(NOON_KST, { koreanAdRules: { channels: ["sms"] } });
    const profileId = await person(n, "u1", ["sms"]);
    const m = await n.send({ profileId, idempotencyKey: "s2", channel: "sms", content: { text: "[광고] 아크미 봄 세일 무료수신거부 080-123-4567" } });
    expect(m.status).toBe("suppressed");
    expect(reasons(m)[0]).toBe("classification/flag: content is advertising: text starts with [광고], a variant of (광고) (sms): sent as marketing (the send did not declare it)");
    expect(m.decisions[1]).toMatchObject({ policy: "korean-ad-rules", rule: "ad-label" });
  });

  it("an SMS starting with (광고) declared marketing: false is refused", async () => {
    const n = await boot(NOON_KST);
    const profileId = await person(n, "u1", ["sms"]);
    const m = await n.send({ profileId, idempotencyKey: "s3", channel: "sms", content: { text: AD_SMS }, marketing: false });
    expect(m.status).toBe("suppressed");
    expect(reasons(m)).toEqual(["classification/suppress: content is advertising: text starts with (광고) (sms), but the send declares marketing: false: not sent"]);
  });

  it("an ordinary SMS without the flag stays transactional", async () => {
    const n = await boot(TEN_PM_KST, { koreanAdRules: { channels: ["sms"] } });
    const profileId = await person(n, "u1");
    const m = await n.send({ profileId, idempotencyKey: "s4", channel: "sms", content: { text: "인증번호 123456 (광고 아님)" } });
    expect(m).toMatchObject({ status: "sent", marketing: false, decisions: [] });
  });
});

describe("kakao-friendtalk shares the marketing consent of kakao", () => {
  const friendtalk = { content: "봄 신상품이 도착했어요!" };

  it("consent given on kakao lets a kakao-friendtalk ad through", async () => {
    const n = await boot(NOON_KST);
    const profileId = await person(n, "u1", ["kakao"]);
    const m = await n.send({ profileId, idempotencyKey: "f1", channel: "kakao-friendtalk", content: friendtalk, marketing: true });
    expect(m.status).toBe("sent");
    expect(n.sandbox.list()).toHaveLength(1);
  });

  it("an opt-out recorded on either id stops both", async () => {
    const n = await boot(NOON_KST);
    const viaAlias = await person(n, "u1", ["kakao", ["kakao-friendtalk", "unsubscribed"]]);
    const viaKakao = await person(n, "u2", ["kakao-friendtalk", ["kakao", "unsubscribed"]]);
    for (const [profileId, who] of [[viaAlias, "a"], [viaKakao, "k"]] as const) {
      const brand = await n.send({ profileId, idempotencyKey: `${who}-brand`, channel: "kakao", content: TEXT, marketing: true });
      const ft = await n.send({ profileId, idempotencyKey: `${who}-ft`, channel: "kakao-friendtalk", content: friendtalk, marketing: true });
      expect(brand.status).toBe("suppressed");
      expect(ft.status).toBe("suppressed");
      expect(reasons(brand)).toEqual(['consent/suppress: no marketing consent for channel "kakao" (state: unsubscribed)']);
      expect(reasons(ft)).toEqual(['consent/suppress: no marketing consent for channel "kakao-friendtalk" (consent kept under "kakao") (state: unsubscribed)']);
    }
    expect(n.sandbox.list()).toHaveLength(0);
  });
});

describe("koreanAdRules checks its field against the channel at boot", () => {
  it("listing kakao with the defaults reads the Brand Message's content: a labelled ad goes out, an unlabelled one is refused", async () => {
    const n = await boot(NOON_KST, { koreanAdRules: { channels: ["kakao"] } });
    const profileId = await person(n, "u1", ["kakao"]);
    const ok = await n.send({ profileId, idempotencyKey: "k1", channel: "kakao", content: { ...TEXT, content: "(광고) 봄 신상품이 도착했어요! 무료수신거부 080-123-4567" }, marketing: true });
    expect(ok.status).toBe("sent");
    const bad = await n.send({ profileId, idempotencyKey: "k2", channel: "kakao", content: TEXT, marketing: true });
    expect(bad.status).toBe("suppressed");
    expect(bad.decisions.at(-1)).toMatchObject({ policy: "korean-ad-rules", rule: "ad-label" });
    expect(bad.decisions.at(-1)!.reason).toContain('the rendered "content" does not');
  });

  it("a field the channel's content does not have fails the boot, naming the channel and field", async () => {
    const failed = boot(NOON_KST, { koreanAdRules: { channels: { kakao: { field: "text" } } } });
    await expect(failed).rejects.toBeInstanceOf(PluginConfigError);
    await expect(failed).rejects.toMatchObject({
      pluginId: "policies",
      issues: [{ path: "koreanAdRules.channels.kakao.field", message: expect.stringContaining('"text" is not a field of the kakao channel\'s content') }],
    });
  });

  it("a channel that is not registered fails the boot", async () => {
    await expect(boot(NOON_KST, { koreanAdRules: { channels: ["kakao-brand"] } })).rejects.toMatchObject({
      issues: [{ path: "koreanAdRules.channels.kakao-brand", message: expect.stringContaining('no channel "kakao-brand" is registered') }],
    });
  });
});
