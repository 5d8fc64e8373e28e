import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { makeNudge } from "./helpers.js";

describe("segments: audience", () => {
  it("counts members and lists them page by page", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await nudge.identify({ userId: `u${i}`, traits: { tier: i % 5 === 0 ? "gold" : "silver" } })).profileId);
    await nudge.segments.put({ id: "silver", condition: { type: "trait", trait: "tier", op: "eq", value: "silver" } });
    await nudge.drain();
    expect(await nudge.segments.count("silver")).toBe(20);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: string[]; nextCursor: string | null } = await nudge.segments.members("silver", { cursor, limit: 6 });
      expect(page.items.length).toBeLessThanOrEqual(6);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen.sort()).toEqual(ids.filter((_, i) => i % 5 !== 0).sort());
    await expect(nudge.segments.members("silver", { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(nudge.segments.members("nope")).rejects.toMatchObject({ code: "NUDGE_NOT_FOUND" });
    await nudge.stop();
  });

  it("estimates an unsaved definition: exact on a small base, scaled from a sample on a larger one", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    for (let i = 0; i < 200; i++) await nudge.identify({ userId: `u${i}`, traits: { age: 20 + (i % 40) } });
    await nudge.track({ userId: "u1", event: "purchase" });
    await nudge.drain();
    const draft = { condition: { type: "trait", trait: "age", op: "lt", value: 30 } } as const;
    expect(await nudge.segments.estimate(draft)).toEqual({ count: 50, sampled: 200, matched: 50, total: 200, exact: true });
    const sampled = await nudge.segments.estimate(draft, { sample: 100 });
    expect(sampled).toMatchObject({ sampled: 100, total: 200, exact: false });
    expect(sampled.count).toBe(Math.round((sampled.matched / 100) * 200));
    expect(sampled.count).toBeGreaterThan(25);
    expect(sampled.count).toBeLessThan(80);
    const buyers = { condition: { type: "event", event: "purchase", within: "P1D" } } as const;
    expect((await nudge.segments.estimate(buyers)).count).toBe(1);
    const preview = await nudge.segments.preview(draft, { limit: 5 });
    expect(preview.profileIds).toHaveLength(5);
    for (const id of preview.profileIds) expect(await nudge.segments.matches(draft, id)).toBe(true);
    // Nothing was saved or joined.
    expect(await nudge.segments.list()).toEqual([]);
    await expect(nudge.segments.estimate({ condition: { type: "trait", trait: "age" } as never })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: "condition.op" })],
    });
    await expect(nudge.segments.estimate({ condition: { type: "segment", segment: "ghost" } })).rejects.toMatchObject({
      issues: [{ path: "condition.segment", message: 'no segment "ghost"' }],
    });
    await nudge.stop();
  });

  it("rebuild re-evaluates everyone now and reports what changed", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    for (let i = 0; i < 10; i++) await nudge.identify({ userId: `u${i}`, traits: { signupAt: new Date(clock.now()).toISOString() } });
    await nudge.segments.put({ id: "veterans", condition: { type: "trait", trait: "signupAt", op: "before", duration: "P30D" } });
    await nudge.drain();
    expect(await nudge.segments.count("veterans")).toBe(0);
    expect(await nudge.segments.rebuild()).toEqual({ profiles: 10, changes: 0 });
    clock.advance(31 * 86_400_000);
    await nudge.drain(); // the timers set when the segment was saved already flipped everyone
    expect(await nudge.segments.count("veterans")).toBe(10);
    expect(await nudge.segments.rebuild()).toEqual({ profiles: 10, changes: 0 });
    await nudge.stop();
  });
});
