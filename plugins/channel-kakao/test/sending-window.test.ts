import { describe, expect, it } from "vitest";
import { SendingWindowClock } from "../src/sending-window.js";
import { KakaoSendingWindowPolicy } from "../src/sending-window.policy.js";
import type { PolicyContext } from "@nudge/core";

const kst = (s: string) => Date.parse(`${s}+09:00`);
const window = new SendingWindowClock({ start: "08:00", end: "20:50", timezone: "Asia/Seoul" });
const policy = new KakaoSendingWindowPolicy(new Set(["kakao", "kakao-friendtalk"]), window);
const ctx = (channel: string, content: Record<string, unknown>, now: number) => ({ channel: { id: channel }, content, now }) as unknown as PolicyContext;

describe("Kakao sending window", () => {
  it("is open 08:00–20:50 KST", () => {
    expect(window.isOpen(kst("2026-03-02T07:59:00"))).toBe(false);
    expect(window.isOpen(kst("2026-03-02T08:00:00"))).toBe(true);
    expect(window.isOpen(kst("2026-03-02T20:49:59"))).toBe(true);
    expect(window.isOpen(kst("2026-03-02T20:50:00"))).toBe(false);
  });

  it("defers a marketing Kakao message due at 20:55 KST to 08:00 KST", () => {
    const v = policy.evaluate(ctx("kakao", { kind: "brand", chatBubbleType: "TEXT" }, kst("2026-03-02T20:55:00")));
    expect(v).toEqual({ outcome: "defer", until: kst("2026-03-03T08:00:00"), reason: "Brand Messages may only be sent 08:00–20:50 Asia/Seoul; deferred to 2026-03-03 08:00" });
    expect(policy.evaluate(ctx("kakao", { kind: "brand" }, kst("2026-03-03T03:00:00")))).toMatchObject({ until: kst("2026-03-03T08:00:00") });
  });

  it("lets AlimTalk and other channels through at night, and takes a stricter 20:00 end", () => {
    expect(policy.evaluate(ctx("kakao", { kind: "alimtalk" }, kst("2026-03-02T22:00:00")))).toEqual({ outcome: "allow" });
    expect(policy.evaluate(ctx("sms", { text: "x" }, kst("2026-03-02T22:00:00")))).toEqual({ outcome: "allow" });
    const strict = new SendingWindowClock({ start: "08:00", end: "20:00", timezone: "Asia/Seoul" });
    expect(strict.isOpen(kst("2026-03-02T20:30:00"))).toBe(false);
  });
});
