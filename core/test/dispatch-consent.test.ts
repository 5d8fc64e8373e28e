import { describe, expect, it } from "vitest";
import { AD_TEXT, logged, person, world } from "./dispatch-world.js";

describe("dispatch: consent policy", () => {
  it("suppresses a marketing message without a subscription and records why", async () => {
    const w = await world();
    const p = await person(w, "no-consent");
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "k1", channel: "sms", content: { text: AD_TEXT }, marketing: true });
    expect(m.status).toBe("suppressed");
    expect(m.decisions).toEqual([expect.objectContaining({ policy: "consent", outcome: "suppress", reason: 'no marketing consent for channel "sms" (state: never_asked)' })]);
    expect(m.attempts).toEqual([]);
    expect(w.probe.calls).toEqual([]);
    expect((await logged(w, m.id)).status).toBe("suppressed");
    await w.nudge.stop();
  });

  it("sends a transactional message without a subscription", async () => {
    const w = await world();
    const p = await person(w, "receipt");
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "k2", channel: "sms", content: { text: "주문이 접수되었습니다" } });
    expect(m.status).toBe("sent");
    expect(m.decisions).toEqual([]);
    expect(w.probe.sends).toHaveLength(1);
    await w.nudge.stop();
  });

  it("unsubscribed is final for marketing, and a topic needs its own consent", async () => {
    const w = await world();
    const gone = await person(w, "gone", { unsubscribed: ["sms"] });
    const m1 = await w.nudge.send({ profileId: gone.id, idempotencyKey: "k3", channel: "sms", content: { text: AD_TEXT }, marketing: true });
    expect(m1.decisions.at(-1)).toMatchObject({ policy: "consent", reason: 'no marketing consent for channel "sms" (state: unsubscribed)' });

    const subscribed = await person(w, "topic", { subscribed: ["sms"] });
    const m2 = await w.nudge.send({ profileId: subscribed.id, idempotencyKey: "k4", channel: "sms", content: { text: AD_TEXT }, marketing: true, topic: "weekly-deals" });
    expect(m2.status).toBe("suppressed");
    expect(m2.decisions.at(-1)).toMatchObject({ policy: "consent", reason: 'no consent for topic "weekly-deals" (state: never_asked)' });
    expect(w.probe.calls).toEqual([]);
    await w.nudge.stop();
  });
});
