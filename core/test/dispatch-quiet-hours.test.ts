import { describe, expect, it } from "vitest";
import { AD_TEXT, iso, logged, person, resumeTimer, world } from "./dispatch-world.js";

const quietHours = [{ id: "night", from: "21:00", to: "09:00" }];

describe("dispatch: quiet hours policy", () => {
  it("defers a marketing message due inside quiet hours to their end in the recipient's zone, then sends it", async () => {
    // 2026-03-02 23:30 in Seoul (14:30 UTC); the person lives in Seoul.
    const w = await world({ at: "2026-03-02T14:30:00Z", policies: { quietHours } });
    const p = await person(w, "sleeper", { subscribed: ["sms"] });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "q1", channel: "sms", content: { text: AD_TEXT }, marketing: true });
    expect(m.status).toBe("deferred");
    expect(m.decisions).toEqual([
      expect.objectContaining({
        policy: "quiet-hours",
        rule: "night",
        outcome: "defer",
        until: Date.parse("2026-03-03T00:00:00Z"), // 09:00 Seoul
        reason: "quiet hours 21:00–09:00 (Asia/Seoul) on every channel: it is 23:30 there; deferred to 2026-03-03 09:00 Asia/Seoul",
      }),
    ]);
    expect(iso(await resumeTimer(w, m.id))).toBe("2026-03-03T00:00:00.000Z");
    expect(w.probe.calls).toEqual([]);

    w.clock.set("2026-03-03T00:00:00Z");
    await w.nudge.drain();
    const after = await logged(w, m.id);
    expect(after.status).toBe("sent");
    expect(w.probe.sends).toEqual([expect.objectContaining({ channel: "sms", at: Date.parse("2026-03-03T00:00:00Z") })]);
    await w.nudge.stop();
  });

  it("uses the recipient's own zone: the same instant is daytime in New York", async () => {
    const w = await world({ at: "2026-03-02T14:30:00Z", policies: { quietHours } });
    const p = await person(w, "nyc", { subscribed: ["sms"], timezone: "America/New_York", phone: "+12125550100" });
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "q2", channel: "sms", content: { text: AD_TEXT }, marketing: true });
    expect(m.status).toBe("sent"); // 09:30 in New York
    await w.nudge.stop();
  });

  it("drops instead when the rule says so, only on its channels, and lets transactional messages through", async () => {
    const w = await world({ at: "2026-03-02T14:30:00Z", policies: { quietHours: [{ id: "sms-night", channels: ["sms"], from: "22:00", to: "08:00", action: "drop" }] } });
    const p = await person(w, "dropped", { subscribed: ["sms", "kakao-friendtalk"] });
    const dropped = await w.nudge.send({ profileId: p.id, idempotencyKey: "q3", channel: "sms", content: { text: AD_TEXT }, marketing: true });
    expect(dropped.status).toBe("suppressed");
    expect(dropped.decisions).toEqual([
      expect.objectContaining({ policy: "quiet-hours", outcome: "drop", rule: "sms-night", reason: "quiet hours 22:00–08:00 (Asia/Seoul) on sms: dropped, it is 23:30 there" }),
    ]);
    const kakao = await w.nudge.send({ profileId: p.id, idempotencyKey: "q4", channel: "kakao-friendtalk", content: { text: AD_TEXT }, marketing: true });
    expect(kakao.status).toBe("sent");
    const code = await w.nudge.send({ profileId: p.id, idempotencyKey: "q5", channel: "sms", content: { text: "인증번호 123456" } });
    expect(code.status).toBe("sent");
    expect(w.probe.sends.map((s) => s.channel)).toEqual(["kakao-friendtalk", "sms"]);
    await w.nudge.stop();
  });
});
