import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anEnrollment, aMessage } from "@nudge/core/testkit";
import { CLICK_EVENT, Tokens, type Nudge, type SegmentConditionInput } from "@nudge/core";
import { bucketOf } from "../src/engine/segments/trait-conditions.js";
import { makeNudge } from "./helpers.js";

const DAY = 86_400_000;

describe("segments: every operator", () => {
  let nudge: Nudge;
  let id: string;
  let now: number;
  const iso = (ms: number) => new Date(ms).toISOString();
  const at = (daysAgo: number) => iso(now - daysAgo * DAY);
  const matches = (condition: SegmentConditionInput, profileId = id) => nudge.segments.matches({ condition }, profileId);

  beforeAll(async () => {
    ({ nudge } = await makeNudge());
    now = nudge.clock.now();
    await nudge.start();
    ({ profileId: id } = await nudge.identify({
      userId: "u1",
      traits: { plan: "pro", age: 30, name: "Minji Kim", tags: ["vip", "early"], score: null, signupAt: at(10), renewsAt: iso(now + 3 * DAY), address: { city: "Seoul" } },
    }));
    await nudge.track({ userId: "u1", event: "purchase", timestamp: at(25), properties: { amount: 30_000, category: "shoes" } });
    await nudge.track({ userId: "u1", event: "purchase", timestamp: at(5), properties: { amount: 15_000, category: "books" } });
    await nudge.track({ userId: "u1", event: "purchase", timestamp: at(1), properties: { amount: 70_000, category: "shoes" } });
    await nudge.track({ userId: "u1", event: "purchase", timestamp: at(60), properties: { amount: 999_999, category: "shoes" } });
    await nudge.track({ userId: "u1", event: "login", timestamp: at(20) });
    await nudge.track({ userId: "u1", event: CLICK_EVENT, timestamp: at(2), properties: { journeyId: "welcome", channel: "sms", messageId: "m1" } });
    await nudge.resolve(Tokens.MessageStore).insert(aMessage("acme", id, { journeyId: "welcome", channel: "kakao", status: "delivered", sentAt: now - 3 * DAY }));
    await nudge.resolve(Tokens.EnrollmentStore).create(anEnrollment("acme", id, { journeyId: "cart", state: "completed", convertedAt: now - 4 * DAY }));
    await nudge.drain();
  });
  afterAll(() => nudge.stop());

  it.each<[string, SegmentConditionInput, boolean]>([
    ["eq", { type: "trait", trait: "plan", op: "eq", value: "pro" }, true],
    ["eq (other value)", { type: "trait", trait: "plan", op: "eq", value: "free" }, false],
    ["eq null", { type: "trait", trait: "score", op: "eq", value: null }, true],
    ["neq", { type: "trait", trait: "plan", op: "neq", value: "free" }, true],
    ["neq on a missing trait", { type: "trait", trait: "nope", op: "neq", value: "x" }, true],
    ["gt", { type: "trait", trait: "age", op: "gt", value: 29 }, true],
    ["gt (equal)", { type: "trait", trait: "age", op: "gt", value: 30 }, false],
    ["gte", { type: "trait", trait: "age", op: "gte", value: 30 }, true],
    ["lt", { type: "trait", trait: "age", op: "lt", value: 30 }, false],
    ["lte", { type: "trait", trait: "age", op: "lte", value: 30 }, true],
    ["gt across types is false", { type: "trait", trait: "age", op: "gt", value: "10" }, false],
    ["in", { type: "trait", trait: "plan", op: "in", value: ["pro", "team"] }, true],
    ["in (absent)", { type: "trait", trait: "plan", op: "in", value: ["free"] }, false],
    ["contains (string)", { type: "trait", trait: "name", op: "contains", value: "Kim" }, true],
    ["contains (array)", { type: "trait", trait: "tags", op: "contains", value: "vip" }, true],
    ["contains (array, absent)", { type: "trait", trait: "tags", op: "contains", value: "churned" }, false],
    ["exists", { type: "trait", trait: "plan", op: "exists" }, true],
    ["exists (null is not)", { type: "trait", trait: "score", op: "exists" }, false],
    ["dot path", { type: "trait", trait: "address.city", op: "eq", value: "Seoul" }, true],
    ["before a date", { type: "trait", trait: "signupAt", op: "before", value: "2026-03-01T00:00:00Z" }, true],
    ["after a date", { type: "trait", trait: "signupAt", op: "after", value: "2026-03-01T00:00:00Z" }, false],
    ["before now minus a duration", { type: "trait", trait: "signupAt", op: "before", duration: "P7D" }, true],
    ["before now minus a longer duration", { type: "trait", trait: "signupAt", op: "before", duration: "P30D" }, false],
    ["after now minus a duration", { type: "trait", trait: "signupAt", op: "after", duration: "P30D" }, true],
    ["within (past)", { type: "trait", trait: "signupAt", op: "within", duration: "P14D" }, true],
    ["within (future)", { type: "trait", trait: "renewsAt", op: "within", duration: "P7D" }, true],
    ["within (too far)", { type: "trait", trait: "renewsAt", op: "within", duration: "P1D" }, false],
    ["date op on a non-date", { type: "trait", trait: "plan", op: "within", duration: "P1D" }, false],
  ])("trait %s", async (_name, condition, expected) => {
    expect(await matches(condition)).toBe(expected);
  });

  it.each<[string, SegmentConditionInput, boolean]>([
    ["at least 2 in 30 days", { type: "event", event: "purchase", within: "P30D", op: "gte", value: 2 }, true],
    ["at least 4 in 30 days", { type: "event", event: "purchase", within: "P30D", op: "gte", value: 4 }, false],
    ["at least 4 in 90 days", { type: "event", event: "purchase", within: "P90D", op: "gte", value: 4 }, true],
    ["more than 2", { type: "event", event: "purchase", within: "P30D", op: "gt", value: 2 }, true],
    ["exactly 3", { type: "event", event: "purchase", within: "P30D", op: "eq", value: 3 }, true],
    ["exactly 2", { type: "event", event: "purchase", within: "P30D", op: "eq", value: 2 }, false],
    ["fewer than 3", { type: "event", event: "purchase", within: "P30D", op: "lt", value: 3 }, false],
    ["at most 3", { type: "event", event: "purchase", within: "P30D", op: "lte", value: 3 }, true],
    ["did not log in for 14 days", { type: "event", event: "login", within: "P14D", op: "eq", value: 0 }, true],
    ["did not log in for 30 days", { type: "event", event: "login", within: "P30D", op: "eq", value: 0 }, false],
    ["did (default: at least once)", { type: "event", event: "login", within: "P30D" }, true],
    ["with a property filter", { type: "event", event: "purchase", within: "P30D", where: [{ property: "category", op: "eq", value: "shoes" }], op: "gte", value: 2 }, true],
    ["with a property filter (in)", { type: "event", event: "purchase", within: "P30D", where: [{ property: "category", op: "in", value: ["books"] }], op: "eq", value: 1 }, true],
    ["sum of a property", { type: "event", event: "purchase", within: "P30D", measure: { sum: "amount" }, op: "gte", value: 115_000 }, true],
    ["sum of a property (above)", { type: "event", event: "purchase", within: "P30D", measure: { sum: "amount" }, op: "gt", value: 115_000 }, false],
  ])("event: %s", async (_name, condition, expected) => {
    expect(await matches(condition)).toBe(expected);
  });

  it.each<[string, SegmentConditionInput, boolean]>([
    ["received from a journey", { type: "engagement", action: "received", journeyId: "welcome", within: "P7D" }, true],
    ["received on a channel", { type: "engagement", action: "received", channel: "kakao", within: "P7D" }, true],
    ["received on another channel", { type: "engagement", action: "received", channel: "email", within: "P7D" }, false],
    ["received, window too short", { type: "engagement", action: "received", within: "P2D" }, false],
    ["clicked from a journey", { type: "engagement", action: "clicked", journeyId: "welcome", within: "P7D" }, true],
    ["clicked on a channel", { type: "engagement", action: "clicked", channel: "email", within: "P7D" }, false],
    ["converted from a journey", { type: "engagement", action: "converted", journeyId: "cart", within: "P7D" }, true],
    ["converted, window too short", { type: "engagement", action: "converted", within: "P3D" }, false],
  ])("engagement: %s", async (_name, condition, expected) => {
    expect(await matches(condition)).toBe(expected);
  });

  it("bucket: a stable number 0–9999 per person, its own per salt", async () => {
    const b = bucketOf(id);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(10_000);
    expect(bucketOf(id)).toBe(b);
    expect(await matches({ type: "bucket", from: b, to: b + 1 })).toBe(true);
    expect(await matches({ type: "bucket", from: 0, to: b })).toBe(false);
    expect(await matches({ type: "bucket", from: 0, to: 10_000, salt: "exp-1" })).toBe(true);
    // Roughly uniform: 10% of 2,000 ids fall in a 1,000-wide range.
    const hits = Array.from({ length: 2000 }, (_, i) => bucketOf(`p-${i}`)).filter((x) => x < 1000).length;
    expect(hits).toBeGreaterThan(150);
    expect(hits).toBeLessThan(250);
  });

  it("membership of another segment, and/or/not", async () => {
    await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    await nudge.drain();
    expect(await matches({ type: "segment", segment: "pro" })).toBe(true);
    const yes = { type: "trait", trait: "plan", op: "exists" } as const;
    const no = { type: "trait", trait: "plan", op: "eq", value: "free" } as const;
    expect(await matches({ type: "and", conditions: [yes, yes] })).toBe(true);
    expect(await matches({ type: "and", conditions: [yes, no] })).toBe(false);
    expect(await matches({ type: "or", conditions: [no, yes] })).toBe(true);
    expect(await matches({ type: "or", conditions: [no, no] })).toBe(false);
    expect(await matches({ type: "not", condition: no })).toBe(true);
    expect(await matches({ type: "not", condition: { type: "segment", segment: "pro" } })).toBe(false);
  });

  it.each<[string, SegmentConditionInput, boolean]>([
    ["not new: activity dated before the new window", { type: "lifecycle", stage: "new" }, false],
    ["active: some activity in 30 days", { type: "lifecycle", stage: "active" }, true],
    ["active needs 3 logins in 30 days", { type: "lifecycle", stage: "active", activityEvent: "login", minActivity: 3 }, false],
    ["at risk: logins, but none in the last 14 days", { type: "lifecycle", stage: "at_risk", activityEvent: "login", windows: { active: "P14D" } }, true],
    ["churned: no activity in the churn window", { type: "lifecycle", stage: "churned", activityEvent: "logout" }, true],
    ["churned with a short window", { type: "lifecycle", stage: "churned", activityEvent: "login", windows: { active: "P7D", churned: "P14D" } }, true],
    ["new with a window reaching past the oldest activity", { type: "lifecycle", stage: "new", windows: { new: "P90D", active: "P91D", churned: "P120D" } }, true],
  ])("lifecycle: %s", async (_name, condition, expected) => {
    expect(await matches(condition)).toBe(expected);
  });

  it.each<[string, SegmentConditionInput, boolean]>([
    // 4 purchases in a year, newest 1 day ago, 1,114,999 in total.
    ["recency 5 (within 7 days)", { type: "rfm", recency: { gte: 5 } }, true],
    ["frequency 2 (2..3 purchases)", { type: "rfm", frequency: { gte: 2, lte: 2 } }, false],
    ["frequency 3 (4..7 purchases)", { type: "rfm", frequency: { gte: 3, lte: 3 } }, true],
    ["monetary 5 (500,000 or more)", { type: "rfm", monetary: { gte: 5 } }, true],
    ["custom thresholds", { type: "rfm", within: "P30D", frequency: { gte: 4 }, thresholds: { frequency: [1, 2, 3, 10] } }, true],
    ["no purchases of another event: scores 0", { type: "rfm", event: "refund", recency: { lte: 0 } }, true],
  ])("rfm: %s", async (_name, condition, expected) => {
    expect(await matches(condition)).toBe(expected);
  });

  it("definitions are validated with the field named", async () => {
    const bad = async (condition: unknown) => nudge.segments.put({ id: "bad", condition: condition as never }).catch((e: unknown) => e);
    expect(await bad({ type: "trait", trait: "plan", op: "eq" })).toMatchObject({ issues: [{ path: "condition.value", message: 'op "eq" needs a value' }] });
    expect(await bad({ type: "trait", trait: "plan", op: "in", value: "pro" })).toMatchObject({ issues: [{ path: "condition.value", message: 'op "in" needs an array' }] });
    expect(await bad({ type: "trait", trait: "d", op: "before" })).toMatchObject({ issues: [expect.objectContaining({ path: "condition.value" })] });
    expect(await bad({ type: "trait", trait: "d", op: "within" })).toMatchObject({ issues: [expect.objectContaining({ path: "condition.duration" })] });
    expect(await bad({ type: "event", event: "x", within: "30 days" })).toMatchObject({ issues: [expect.objectContaining({ path: "condition.within" })] });
    expect(await bad({ type: "bucket", from: 10, to: 5 })).toMatchObject({ issues: [expect.objectContaining({ path: "condition.to" })] });
    expect(await bad({ type: "engagement", action: "converted", channel: "sms", within: "P1D" })).toMatchObject({ issues: [expect.objectContaining({ path: "condition.channel" })] });
    expect(await bad({ type: "lifecycle", stage: "active", windows: { active: "P90D", churned: "P30D" } })).toMatchObject({
      issues: [expect.objectContaining({ path: "condition.windows.active" })],
    });
    expect(await bad({ type: "rfm" })).toMatchObject({ issues: [expect.objectContaining({ path: "condition.recency" })] });
    expect(await bad({ type: "and", conditions: [{ type: "segment", segment: "missing" }] })).toMatchObject({
      issues: [{ path: "condition.conditions[0].segment", message: 'no segment "missing"' }],
    });
    expect(await bad({ type: "not", condition: { type: "segment", segment: "bad" } })).toMatchObject({
      issues: [{ path: "condition.condition.segment", message: "a segment cannot contain itself" }],
    });
    expect(await nudge.segments.get("bad")).toBeNull();
  });
});
