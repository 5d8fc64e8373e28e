import { describe, expect, it } from "vitest";
import { ChannelUnavailableError, profileScope, Tokens } from "@nudge/core";
import { anEnrollment } from "@nudge/core/testkit";
import { AD_TEXT, logged, person, sms, world, WS } from "./dispatch-world.js";
import { dispatcherOf } from "./engine-access.js";

const night = { quietHours: [{ id: "night", from: "21:00", to: "09:00" }] };
const at2330Seoul = "2026-03-02T14:30:00Z";

describe("dispatch: send-time re-check of deferred messages", () => {
  it("re-checks consent when a deferred message finally goes", async () => {
    const w = await world({ at: at2330Seoul, policies: night });
    const p = await person(w, "changed-mind", { subscribed: ["sms"] });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "d1", channel: "sms", content: { text: AD_TEXT }, marketing: true });
    expect(m.status).toBe("deferred");
    await w.nudge.profiles.setSubscription(p.id, { channel: "sms", state: "unsubscribed", source: "080" });
    w.clock.set("2026-03-03T00:00:00Z");
    await w.nudge.drain();
    const after = await logged(w, m.id);
    expect(after.status).toBe("suppressed");
    expect(after.decisions.map((d) => [d.policy, d.outcome])).toEqual([
      ["quiet-hours", "defer"],
      ["consent", "suppress"],
    ]);
    expect(after.decisions[1]!.reason).toBe('no marketing consent for channel "sms" (state: unsubscribed)');
    expect(w.probe.calls).toEqual([]);
    await w.nudge.stop();
  });

  it("re-checks the journey: a person who left it while the message waited is not messaged", async () => {
    const w = await world({ at: at2330Seoul, policies: night });
    const p = await person(w, "left", { subscribed: ["sms"] });
    const enrollments = w.nudge.resolve(Tokens.EnrollmentStore);
    await enrollments.create(anEnrollment(WS, p.id, { id: "enr-1", journeyId: "cart" }));
    const m = await dispatcherOf(w.nudge).dispatch({
      profile: p,
      idempotencyKey: "enr-1:remind:1",
      spec: { channel: "sms", content: { text: AD_TEXT }, marketing: true },
      scope: { profile: profileScope(p) },
      journey: { journeyId: "cart", version: 1, stepId: "remind", enrollmentId: "enr-1" },
    });
    expect(m.status).toBe("deferred");
    const e = (await enrollments.get(WS, "enr-1"))!;
    await enrollments.update({ ...e, state: "exited", exitReason: 'exit event "purchased"', endedAt: w.clock.now() });
    w.clock.set("2026-03-03T00:00:00Z");
    await w.nudge.drain();
    const after = await logged(w, m.id);
    expect(after.status).toBe("suppressed");
    expect(after.decisions.at(-1)).toMatchObject({
      policy: "journey-exit",
      outcome: "drop",
      reason: 'the person left journey "cart" while the message waited (exit event "purchased")',
    });
    await w.nudge.stop();
  });

  it("drops a message that would wait past the age limit, at once or when its timer fires", async () => {
    const w = await world({ at: at2330Seoul, policies: night, settings: { dispatch: { maxDeferAgeMs: 3_600_000 } } });
    const p = await person(w, "too-long", { subscribed: ["sms"] });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "d3", channel: "sms", content: { text: AD_TEXT }, marketing: true });
    expect(m.status).toBe("suppressed");
    expect(m.decisions.map((d) => [d.policy, d.outcome])).toEqual([
      ["quiet-hours", "defer"],
      ["max-defer-age", "drop"],
    ]);
    expect(m.decisions[1]!.reason).toBe("it would wait until 2026-03-03T00:00:00.000Z, past the 1 h a message may stay deferred");
    await w.nudge.stop();

    const timeout = () => new ChannelUnavailableError("timeout");
    const w2 = await world({
      channels: [{ ...sms, failures: [timeout(), timeout(), timeout()] }],
      settings: { dispatch: { maxDeferAgeMs: 60_000, retry: { baseMs: 30_000, jitter: 0 } } },
    });
    const p2 = await person(w2, "retry-too-long");
    const m2 = await w2.nudge.send({ profileId: p2.id, idempotencyKey: "d4", channel: "sms", content: { text: "x" } });
    w2.clock.advance(30_000);
    await w2.nudge.drain();
    w2.clock.advance(60_000);
    await w2.nudge.drain();
    const dropped = await logged(w2, m2.id);
    expect(dropped.status).toBe("suppressed");
    expect(dropped.attempts.map((a) => a.status)).toEqual(["retrying", "retrying"]);
    expect(dropped.decisions).toEqual([
      expect.objectContaining({ policy: "max-defer-age", outcome: "drop", reason: "still not sent 90 s after it was created (limit 1 min)" }),
    ]);
    await w2.nudge.stop();
  });
});
