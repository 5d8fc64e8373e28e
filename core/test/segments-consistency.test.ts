import { describe, expect, it } from "vitest";
import { CLICK_EVENT, Tokens, type SegmentDefinitionInput } from "@nudge/core";
import { makeNudge } from "./helpers.js";

const HOUR = 3_600_000;

/** A deterministic generator: the same history every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SEGMENTS: SegmentDefinitionInput[] = [
  { id: "dormant", condition: { type: "event", event: "login", within: "P3D", op: "eq", value: 0 } },
  { id: "buyers", condition: { type: "event", event: "purchase", within: "P7D", op: "gte", value: 2 } },
  { id: "exactly-one", condition: { type: "event", event: "purchase", within: "P5D", op: "eq", value: 1 } },
  { id: "spenders", condition: { type: "event", event: "purchase", within: "P10D", measure: { sum: "amount" }, op: "gte", value: 50 } },
  { id: "at-risk", condition: { type: "lifecycle", stage: "at_risk", activityEvent: "login", windows: { new: "P1D", active: "P2D", churned: "P6D" } } },
  { id: "active-2", condition: { type: "lifecycle", stage: "active", activityEvent: "login", minActivity: 2, windows: { new: "P1D", active: "P4D", churned: "P8D" } } },
  { id: "champions", condition: { type: "rfm", within: "P20D", recency: { gte: 4 }, frequency: { gte: 2 }, thresholds: { recency: ["P1D", "P2D", "P4D", "P8D"], frequency: [2, 3, 4, 5] } } },
  { id: "clickers", condition: { type: "engagement", action: "clicked", channel: "sms", within: "P2D" } },
  { id: "recent", condition: { type: "trait", trait: "seenAt", op: "after", duration: "P2D" } },
  {
    id: "seoul-buyers",
    condition: { type: "and", conditions: [{ type: "trait", trait: "city", op: "eq", value: "Seoul" }, { type: "segment", segment: "buyers" }] },
  },
  { id: "not-dormant-or-vip", condition: { type: "or", conditions: [{ type: "not", condition: { type: "segment", segment: "dormant" } }, { type: "trait", trait: "vip", op: "eq", value: true }] } },
];

describe("segments: incremental membership equals evaluation from scratch", () => {
  it.each([7, 8, 9])("after every step of a random history, with events, trait changes and the clock moving (seed %i)", async (seed) => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    for (const s of SEGMENTS) await nudge.segments.put(s);
    const r = rng(seed);
    const users = Array.from({ length: 25 }, (_, i) => `u${i}`);
    const store = nudge.resolve(Tokens.SegmentStore);
    let checks = 0;
    for (let step = 0; step < 60; step++) {
      for (let k = 0; k < 8; k++) {
        const userId = users[Math.floor(r() * users.length)]!;
        const x = r();
        if (x < 0.35) await nudge.track({ userId, event: "login" });
        else if (x < 0.6) await nudge.track({ userId, event: "purchase", properties: { amount: Math.floor(r() * 60) - 10 } });
        else if (x < 0.7) await nudge.track({ userId, event: CLICK_EVENT, properties: { channel: r() < 0.5 ? "sms" : "email" } });
        else if (x < 0.8) await nudge.identify({ userId, traits: { city: r() < 0.5 ? "Seoul" : "Busan", vip: r() < 0.2, seenAt: new Date(clock.now()).toISOString() } });
        else await nudge.track({ userId, event: "page_viewed" });
      }
      await nudge.drain();
      clock.advance(Math.floor(r() * 30 * HOUR));
      await nudge.drain();
      for (const userId of users) {
        const p = await nudge.profiles.find({ userId });
        if (!p) continue;
        for (const s of SEGMENTS) {
          const expected = await nudge.segments.matches({ condition: s.condition }, p.id);
          const actual = await store.isMember("acme", s.id, p.id);
          if (actual !== expected) {
            const history = await nudge.resolve(Tokens.EventStore).listByProfile("acme", p.id, { limit: 50 });
            const events = history.map((e) => `${e.name}@${e.timestamp}`).join(" ");
            throw new Error(`step ${step} at ${clock.now()}: ${userId} in "${s.id}" is ${actual}, from scratch ${expected}; events ${events}`);
          }
          checks++;
        }
      }
    }
    expect(checks).toBeGreaterThan(5_000);
    await nudge.stop();
  });
});
