import { describe, expect, it } from "vitest";
import type { PoliciesConfigInput } from "@nudge/core";
import { AD_TEXT, iso, logged, person, resumeTimer, world, type DispatchWorld } from "./dispatch-world.js";

const rules: PoliciesConfigInput = {
  koreanAdRules: { channels: ["sms", "kakao-friendtalk"], sender: { name: "Acme", contact: "02-123-4567" } },
};

const ad = (w: DispatchWorld, profileId: string, key: string, text = AD_TEXT, channel = "sms") =>
  w.nudge.send({ profileId, idempotencyKey: key, channel, content: { text }, marketing: true });

describe("dispatch: Korean advertising rules (정보통신망법 §50)", () => {
  it("defers an ad SMS at 21:30 KST to 08:00 KST, then sends it", async () => {
    const w = await world({ at: "2026-03-02T12:30:00Z", policies: rules }); // 21:30 in Seoul
    const p = await person(w, "kr", { subscribed: ["sms"] });
    const m = await ad(w, p.id, "n1");
    expect(m.status).toBe("deferred");
    expect(m.decisions).toEqual([
      expect.objectContaining({
        policy: "korean-ad-rules",
        rule: "night-window",
        outcome: "defer",
        until: Date.parse("2026-03-02T23:00:00Z"),
        reason:
          "advertising 21:00–08:00 needs separate night-time consent (정보통신망법 §50③); it is 21:30 Asia/Seoul (Korean number: Korea time): deferred to 2026-03-03 08:00 Asia/Seoul",
      }),
    ]);
    expect(iso(await resumeTimer(w, m.id))).toBe("2026-03-02T23:00:00.000Z");
    w.clock.set("2026-03-02T22:59:00Z");
    await w.nudge.drain();
    expect(w.probe.sends).toHaveLength(0);
    w.clock.set("2026-03-02T23:00:00Z");
    await w.nudge.drain();
    expect((await logged(w, m.id)).status).toBe("sent");
    expect(w.probe.sends).toEqual([expect.objectContaining({ at: Date.parse("2026-03-02T23:00:00Z") })]);
    await w.nudge.stop();
  });

  it("a Korean number follows Korea time even when the profile says America/New_York; a US number follows its own zone", async () => {
    // 22:30 in Seoul = 08:30 in New York.
    const w = await world({ at: "2026-03-02T13:30:00Z", policies: rules });
    const krInNy = await person(w, "kr-in-ny", { subscribed: ["sms"], timezone: "America/New_York", phone: "+821099998888" });
    const usInNy = await person(w, "us-in-ny", { subscribed: ["sms"], timezone: "America/New_York", phone: "+12125550100" });
    const kr = await ad(w, krInNy.id, "z1");
    const us = await ad(w, usInNy.id, "z2");
    expect(kr.status).toBe("deferred");
    expect(kr.decisions.at(-1)).toMatchObject({ rule: "night-window", until: Date.parse("2026-03-02T23:00:00Z") });
    expect(us.status).toBe("sent");

    // 12:00 in Seoul = 22:00 in New York: the other way round.
    w.clock.set("2026-03-03T03:00:00Z");
    await w.nudge.drain();
    const kr2 = await ad(w, krInNy.id, "z3");
    const us2 = await ad(w, usInNy.id, "z4");
    expect(kr2.status).toBe("sent");
    expect(us2.status).toBe("deferred");
    expect(us2.decisions.at(-1)).toMatchObject({ rule: "night-window", until: Date.parse("2026-03-03T13:00:00Z") }); // 08:00 New York
    expect(us2.decisions.at(-1)!.reason).toContain("it is 22:00 America/New_York:");
    await w.nudge.stop();
  });

  it("separate night-time consent allows it, and the log says so", async () => {
    const w = await world({ at: "2026-03-02T12:30:00Z", policies: rules });
    const p = await person(w, "night-owl", { subscribed: ["sms"], nightConsent: true });
    const m = await ad(w, p.id, "c1");
    expect(m.status).toBe("sent");
    expect(m.decisions).toEqual([
      expect.objectContaining({
        policy: "korean-ad-rules",
        outcome: "allow",
        rule: "night-window",
        reason: "sent 21:00–08:00 with separate night-time consent (night consent form); it is 21:30 Asia/Seoul (Korean number: Korea time)",
      }),
    ]);
    await w.nudge.stop();
  });

  it("refuses, never rewrites, an ad without the exact (광고) label, the sender or a free opt-out line", async () => {
    const w = await world({ policies: rules });
    const p = await person(w, "content", { subscribed: ["sms", "kakao-friendtalk"] });
    const cases: [string, string, string][] = [
      ["Acme 봄 세일 02-123-4567 무료수신거부 080-123-4567", "ad-label", 'start with "(광고)"'],
      ["[광고] Acme 봄 세일 02-123-4567 무료수신거부 080-123-4567", "ad-label", 'start with "(광고)"'],
      ["(광 고) Acme 봄 세일 02-123-4567 무료수신거부 080-123-4567", "ad-label", 'start with "(광고)"'],
      ["(광고) 봄 세일 02-123-4567 무료수신거부 080-123-4567", "ad-sender", 'name the sender "Acme"'],
      ["(광고) Acme 봄 세일 무료수신거부 080-123-4567", "ad-sender", "give the sender's contact 02-123-4567"],
      ["(광고) Acme 봄 세일 02-123-4567", "ad-opt-out", "carry a free opt-out line (무료수신거부 ...)"],
    ];
    for (const [i, [text, rule, what]] of cases.entries()) {
      const m = await ad(w, p.id, `t${i}`, text, i % 2 ? "kakao-friendtalk" : "sms");
      expect(m.status).toBe("suppressed");
      expect(m.decisions).toEqual([
        expect.objectContaining({
          policy: "korean-ad-rules",
          outcome: "suppress",
          rule,
          reason: `advertising on ${i % 2 ? "kakao-friendtalk" : "sms"} must ${what} (정보통신망법 §50); the rendered "text" does not: not sent, content is never rewritten`,
        }),
      ]);
    }
    expect(w.probe.calls).toEqual([]);
    const ok = await ad(w, p.id, "ok");
    expect(ok.status).toBe("sent");
    expect(w.probe.sends[0]!.text).toBe(AD_TEXT); // exactly as rendered
    await w.nudge.stop();
  });

  it("flags consent older than two years for re-confirmation and still sends; transactional messages are out of scope", async () => {
    const w = await world({ at: "2026-03-02T03:00:00Z", policies: rules });
    const old = await person(w, "old-consent", { subscribed: ["sms"], consentAt: Date.parse("2024-03-01T00:00:00Z") });
    const m = await ad(w, old.id, "s1");
    expect(m.status).toBe("sent");
    expect(m.decisions).toEqual([
      expect.objectContaining({
        policy: "korean-ad-rules",
        outcome: "flag",
        rule: "consent-age",
        reason: "marketing consent for sms dates from 2024-03-01 (signup form): older than 730 days, it needs re-confirmation (정보통신망법 §50⑧, decree §62-3)",
      }),
    ]);
    w.clock.set("2026-03-02T13:00:00Z"); // 22:00 Seoul
    const receipt = await w.nudge.send({ profileId: old.id, idempotencyKey: "s2", channel: "sms", content: { text: "결제 완료" } });
    expect(receipt.status).toBe("sent");
    expect(receipt.decisions).toEqual([]);
    await w.nudge.stop();
  });

  it("a fixed-zone quiet-hours rule expresses a provider's stricter window (Friendtalk 20:50–08:00 KST)", async () => {
    const w = await world({
      at: "2026-03-02T11:55:00Z", // 20:55 Seoul
      policies: { ...rules, quietHours: [{ id: "friendtalk-window", channels: ["kakao-friendtalk"], from: "20:50", to: "08:00", timezone: "Asia/Seoul" }] },
    });
    const p = await person(w, "ft", { subscribed: ["kakao-friendtalk", "sms"], timezone: "Europe/London" });
    const ft = await ad(w, p.id, "f1", AD_TEXT, "kakao-friendtalk");
    expect(ft.decisions.at(-1)).toMatchObject({ policy: "quiet-hours", rule: "friendtalk-window", until: Date.parse("2026-03-02T23:00:00Z") });
    const s = await ad(w, p.id, "f2");
    expect(s.status).toBe("sent"); // the law's window starts at 21:00
    await w.nudge.stop();
  });
});
