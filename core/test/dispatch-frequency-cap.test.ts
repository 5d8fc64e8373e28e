import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cappedDecision, ChannelRejectedError, profileScope, type Profile } from "@nudge/core";
import { AD_TEXT, friendtalk, iso, logged, person, sms, world, type DispatchWorld } from "./dispatch-world.js";
import { dispatcherOf } from "./engine-access.js";

const ad = (w: DispatchWorld, profileId: string, channel = "sms") =>
  w.nudge.send({ profileId, idempotencyKey: randomUUID(), channel, content: { text: AD_TEXT }, marketing: true });

/** A send step of a journey, as the journey runner calls it. */
const journeySend = (w: DispatchWorld, profile: Profile, journeyId: string, stepId = "s1") =>
  dispatcherOf(w.nudge).dispatch({
    profile,
    idempotencyKey: `${journeyId}:${randomUUID()}:${stepId}:1`,
    spec: { channel: "sms", content: { text: AD_TEXT }, marketing: true },
    scope: { profile: profileScope(profile) },
    journey: { journeyId, version: 1, stepId, enrollmentId: `${journeyId}:${profile.id}` },
  });

describe("dispatch: frequency caps", () => {
  it("at most 2 marketing messages per calendar day in the recipient's zone, across channels", async () => {
    const w = await world({ at: "2026-03-02T03:00:00Z", policies: { frequencyCaps: [{ id: "daily", max: 2, per: "day" }] } });
    const p = await person(w, "capped", { subscribed: ["sms", "kakao-friendtalk"] });
    expect((await ad(w, p.id, "kakao-friendtalk")).status).toBe("sent");
    expect((await ad(w, p.id)).status).toBe("sent");
    const third = await ad(w, p.id);
    expect(third.status).toBe("suppressed");
    expect(third.decisions).toEqual([
      expect.objectContaining({
        policy: "frequency-cap",
        outcome: "suppress",
        rule: "daily",
        onCapped: "continue",
        reason: 'frequency cap "daily": 2 of 2 marketing messages across channels already sent this calendar day (Asia/Seoul); the journey moves on',
      }),
    ]);
    expect(cappedDecision(third)).toMatchObject({ rule: "daily", onCapped: "continue" });
    // A transactional message is neither capped nor counted.
    expect((await w.nudge.send({ profileId: p.id, idempotencyKey: "otp", channel: "sms", content: { text: "인증번호 1234" } })).status).toBe("sent");

    w.clock.set("2026-03-02T14:59:00Z"); // 23:59 in Seoul: same day
    expect((await ad(w, p.id)).status).toBe("suppressed");
    w.clock.set("2026-03-02T15:00:00Z"); // midnight in Seoul (still 2 March in UTC)
    expect((await ad(w, p.id)).status).toBe("sent");
    expect(w.probe.sends).toHaveLength(4);
    await w.nudge.stop();
  });

  it("at most 1 Friendtalk per calendar week; other channels are not counted by it", async () => {
    const w = await world({ policies: { frequencyCaps: [{ id: "ft-weekly", max: 1, per: "week", channel: "kakao-friendtalk" }] } });
    const p = await person(w, "ft", { subscribed: ["sms", "kakao-friendtalk"] });
    expect((await ad(w, p.id, "kakao-friendtalk")).status).toBe("sent");
    expect((await ad(w, p.id)).status).toBe("sent");
    const second = await ad(w, p.id, "kakao-friendtalk");
    expect(second.decisions.at(-1)).toMatchObject({
      rule: "ft-weekly",
      reason: 'frequency cap "ft-weekly": 1 of 1 marketing messages on kakao-friendtalk already sent this calendar week (Asia/Seoul); the journey moves on',
    });
    w.clock.set("2026-03-08T14:59:00Z"); // Sunday 23:59 in Seoul
    expect((await ad(w, p.id, "kakao-friendtalk")).status).toBe("suppressed");
    w.clock.set("2026-03-08T15:00:00Z"); // Monday 00:00 in Seoul
    expect((await ad(w, p.id, "kakao-friendtalk")).status).toBe("sent");
    await w.nudge.stop();
  });

  it("per journey: each journey has its own count", async () => {
    const w = await world({ policies: { frequencyCaps: [{ id: "per-journey", max: 1, per: "day", journey: "*", onCapped: "exit" }] } });
    const p = await person(w, "journeys", { subscribed: ["sms"] });
    expect((await journeySend(w, p, "welcome")).status).toBe("sent");
    expect((await journeySend(w, p, "winback")).status).toBe("sent");
    const again = await journeySend(w, p, "welcome", "s2");
    expect(again.status).toBe("suppressed");
    expect(cappedDecision(again)).toMatchObject({ rule: "per-journey", onCapped: "exit" });
    expect(again.decisions.at(-1)!.reason).toBe(
      'frequency cap "per-journey": 1 of 1 marketing messages across channels in journey "welcome" already sent this calendar day (Asia/Seoul); the journey lets the person go',
    );
    expect((await ad(w, p.id)).status).toBe("sent"); // outside journeys: not counted by a per-journey cap
    await w.nudge.stop();
  });

  it("holds under 50 concurrent sends of one person across journeys", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = await world({ channels: [{ ...sms, gate }], policies: { frequencyCaps: [{ id: "daily", max: 2, per: "day" }] } });
    const p = await person(w, "racer", { subscribed: ["sms"] });
    const all = Array.from({ length: 50 }, (_, i) => journeySend(w, p, `journey-${i}`));
    while (w.probe.calls.length < 2) await new Promise((r) => setImmediate(r));
    release();
    const results = await Promise.all(all);
    expect(results.filter((m) => m.status === "sent")).toHaveLength(2);
    const capped = results.filter((m) => m.status === "suppressed");
    expect(capped).toHaveLength(48);
    for (const m of capped) expect(m.decisions.at(-1)).toMatchObject({ policy: "frequency-cap", rule: "daily", reason: expect.stringContaining("2 of 2") });
    expect(w.probe.calls).toHaveLength(2);
    expect(w.probe.sends).toHaveLength(2);
    await w.nudge.stop();
  });

  it("onCapped wait: the message waits for the next period and goes then", async () => {
    const w = await world({ policies: { onCapped: "wait", frequencyCaps: [{ id: "daily", max: 1, per: "day" }] } });
    const p = await person(w, "waiter", { subscribed: ["sms"] });
    await ad(w, p.id);
    const waiting = await ad(w, p.id);
    expect(waiting.status).toBe("deferred");
    expect(cappedDecision(waiting)).toMatchObject({ rule: "daily", onCapped: "wait", until: Date.parse("2026-03-02T15:00:00Z") });
    w.clock.set("2026-03-02T15:00:00Z");
    await w.nudge.drain();
    const sent = await logged(w, waiting.id);
    expect(sent.status).toBe("sent");
    expect(iso(sent.sentAt)).toBe("2026-03-02T15:00:00.000Z");
    await w.nudge.stop();
  });

  it("aborted, suppressed and failed messages count toward no cap", async () => {
    const w = await world({
      channels: [{ ...friendtalk, failures: [new ChannelRejectedError("blocked by the recipient", { providerCode: "3016" })] }, sms],
      policies: { frequencyCaps: [{ id: "daily", max: 1, per: "day" }] },
    });
    const p = await person(w, "free", { subscribed: ["sms", "kakao-friendtalk"] });
    const aborted = await w.nudge.send({
      profileId: p.id,
      idempotencyKey: "a1",
      channel: "sms",
      content: { text: "{% abort 'out of stock' %}" },
      marketing: true,
    });
    expect(aborted.status).toBe("aborted");
    expect(aborted.decisions).toEqual([expect.objectContaining({ policy: "template", outcome: "abort", reason: "out of stock" })]);
    expect(aborted.attempts).toEqual([]);
    const suppressed = await w.nudge.send({ profileId: p.id, idempotencyKey: "a2", channel: "sms", content: { text: AD_TEXT }, marketing: true, topic: "vip" });
    expect(suppressed.status).toBe("suppressed");
    const failed = await ad(w, p.id, "kakao-friendtalk");
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toEqual([expect.objectContaining({ status: "failed", providerCode: "3016", cost: { amount: 0, currency: "KRW" } })]);
    expect((await ad(w, p.id)).status).toBe("sent");
    expect((await ad(w, p.id)).status).toBe("suppressed");
    await w.nudge.stop();
  });
});
