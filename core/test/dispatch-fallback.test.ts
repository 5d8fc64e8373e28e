import { describe, expect, it } from "vitest";
import { profileScope, RecipientUnreachableError, Tokens, totalCost } from "@nudge/core";
import { anEnrollment } from "@nudge/core/testkit";
import { friendtalk, logged, person, sms, world, WS } from "./dispatch-world.js";
import { dispatcherOf } from "./engine-access.js";

// Over 90 bytes: the SMS channel sends it as an LMS (30 KRW).
const LONG = "(광고) Acme 봄맞이 세일: 전 품목 20% 할인, 이번 주말까지만 진행합니다. 02-123-4567 무료수신거부 080-123-4567";
const chain = { channel: "kakao-friendtalk", content: { text: LONG }, fallback: [{ channel: "sms", content: { text: LONG } }], marketing: true };

describe("dispatch: fallback chains and cost", () => {
  it("Friendtalk -> LMS for a person the provider says is not a channel friend: one message, both attempts and costs", async () => {
    const w = await world({
      channels: [{ ...friendtalk, failures: [new RecipientUnreachableError("not a friend of the channel", { providerCode: "3102" })] }, sms],
    });
    const p = await person(w, "not-friend", { subscribed: ["kakao-friendtalk", "sms"] });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "fb1", ...chain });
    expect(m.status).toBe("sent");
    const log = await logged(w, m.id);
    expect(log.channel).toBe("sms");
    expect(log.attempts).toEqual([
      expect.objectContaining({
        attempt: 1,
        channel: "kakao-friendtalk",
        provider: "test-kakao",
        status: "unreachable",
        errorCode: "NUDGE_RECIPIENT_UNREACHABLE",
        providerCode: "3102",
        messageType: "BMS_TEXT",
        cost: { amount: 0, currency: "KRW" },
      }),
      expect.objectContaining({ attempt: 2, channel: "sms", provider: "test-sms", status: "sent", messageType: "LMS", cost: { amount: 30, currency: "KRW" } }),
    ]);
    expect(totalCost(log)).toEqual({ amount: 30, currency: "KRW" });
    expect(w.probe.sends).toEqual([expect.objectContaining({ channel: "sms", text: LONG, idempotencyKey: "send:fb1:sms" })]);
    expect((await w.nudge.resolve(Tokens.MessageStore).list(WS, { profileId: p.id, limit: 10 })).items).toHaveLength(1);
    await w.nudge.stop();
  });

  it("skips Friendtalk without calling the provider when the profile says the person is not a friend", async () => {
    const w = await world();
    const p = await person(w, "known-non-friend", { subscribed: ["kakao-friendtalk", "sms"], friend: false });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "fb2", ...chain });
    expect(m.status).toBe("sent");
    expect(m.attempts.map((a) => [a.channel, a.status, a.cost?.amount ?? null])).toEqual([
      ["kakao-friendtalk", "unreachable", null],
      ["sms", "sent", 30],
    ]);
    expect(w.probe.calls.map((c) => c.channel)).toEqual(["sms"]);
    await w.nudge.stop();
  });

  it("policies run per channel: no Friendtalk consent falls back to SMS only if the chain's policies allow it", async () => {
    const w = await world();
    const p = await person(w, "sms-only", { subscribed: ["sms"] });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "fb3", ...chain });
    // Consent is a refusal, not a delivery failure: the message stops at the first channel with the reason.
    expect(m.status).toBe("suppressed");
    expect(m.decisions.at(-1)).toMatchObject({ policy: "consent", reason: 'no marketing consent for channel "kakao-friendtalk" (state: never_asked)' });
    await w.nudge.stop();
  });

  it("a failed delivery report moves a sent Friendtalk on to LMS", async () => {
    const w = await world();
    const p = await person(w, "report", { subscribed: ["kakao-friendtalk", "sms"] });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "fb4", ...chain });
    expect(m.channel).toBe("kakao-friendtalk");
    const applied = await w.nudge.webhooks.apply(
      { providerMessageId: m.attempts[0]!.providerMessageId!, status: "failed", providerCode: "3018", reason: "undeliverable", at: w.clock.now() },
      "kakao-friendtalk",
    );
    expect(applied).toBe(true);
    await w.nudge.drain();
    const log = await logged(w, m.id);
    expect(log.status).toBe("sent");
    expect(log.attempts.map((a) => [a.channel, a.status, a.providerCode ?? null, a.cost?.amount])).toEqual([
      ["kakao-friendtalk", "failed", "3018", 15],
      ["sms", "sent", null, 30],
    ]);
    expect(log.decisions).toEqual([expect.objectContaining({ policy: "fallback", outcome: "allow", reason: "kakao-friendtalk reported it undelivered (3018); trying sms" })]);
    await w.nudge.stop();
  });

  it("reports spend per journey, step and channel, and cost per conversion", async () => {
    const w = await world({ channels: [{ ...friendtalk, address: (pr) => (pr.userId === "friend-0" ? pr.contacts.phone ?? null : null) }, sms] });
    const enrollments = w.nudge.resolve(Tokens.EnrollmentStore);
    for (let i = 0; i < 3; i++) {
      const p = await person(w, `friend-${i}`, { subscribed: ["kakao-friendtalk", "sms"] });
      const enrollmentId = `spring:${p.id}`;
      await enrollments.create(anEnrollment(WS, p.id, { id: enrollmentId, journeyId: "spring", convertedAt: i < 2 ? w.clock.now() : null }));
      await dispatcherOf(w.nudge).dispatch({
        profile: p,
        idempotencyKey: `${enrollmentId}:promo:1`,
        spec: chain,
        scope: { profile: profileScope(p) },
        journey: { journeyId: "spring", version: 1, stepId: "promo", enrollmentId },
      });
    }
    await w.nudge.send({ userId: "friend-0", idempotencyKey: "receipt", channel: "sms", content: { text: "영수증" } });
    const report = await w.nudge.stats.cost({ journeyId: "spring" });
    expect(report.total).toEqual([{ currency: "KRW", amount: 75, attempts: 3 }]); // 15 + 30 + 30
    expect(report.byJourney).toEqual([{ journeyId: "spring", currency: "KRW", amount: 75, attempts: 3, conversions: 2, costPerConversion: 37.5 }]);
    expect(report.byStep).toEqual([{ journeyId: "spring", stepId: "promo", currency: "KRW", amount: 75, attempts: 3 }]);
    expect(report.byChannel).toEqual([
      { channel: "kakao-friendtalk", currency: "KRW", amount: 15, attempts: 1, messages: 1 },
      { channel: "sms", currency: "KRW", amount: 60, attempts: 2, messages: 2 },
    ]);
    const all = await w.nudge.stats.cost();
    expect(all.total).toEqual([{ currency: "KRW", amount: 84.9, attempts: 4 }]);
    expect(all.byJourney.find((j) => j.journeyId === null)).toMatchObject({ amount: 9.9, conversions: null, costPerConversion: null });
    await w.nudge.stop();
  });
});
