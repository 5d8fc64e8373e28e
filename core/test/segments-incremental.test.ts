import { describe, expect, it, vi } from "vitest";
import { Tokens, type Nudge } from "@nudge/core";
import { SEGMENT_CHANGED_JOB } from "../src/engine/engine-tokens.js";
import { SegmentEvaluator } from "../src/engine/segments/segment-evaluator.js";
import { makeNudge, publish, welcomeJourney } from "./helpers.js";

const DAY = 86_400_000;

/** Records every hook and every SEGMENT_CHANGED_JOB queued, per "segment:change". */
function watch(nudge: Nudge) {
  const hooks: string[] = [];
  const jobs: string[] = [];
  nudge.hooks.on("segment.entered", (e) => hooks.push(`${e.segmentId}:entered`));
  nudge.hooks.on("segment.exited", (e) => hooks.push(`${e.segmentId}:exited`));
  const queue = nudge.resolve(Tokens.JobQueue);
  const add = queue.add.bind(queue);
  vi.spyOn(queue, "add").mockImplementation(async (job) => {
    if (job.name === SEGMENT_CHANGED_JOB) jobs.push(`${String(job.data["segmentId"])}:${String(job.data["change"])}`);
    return add(job);
  });
  return { hooks, jobs };
}

/** Journeys starting on entering and on leaving each segment: what makes a membership change queue its job. */
async function journeysOn(nudge: Nudge, ...segments: string[]): Promise<void> {
  for (const segment of segments) {
    for (const on of ["entered", "exited"] as const) {
      await publish(nudge, { id: `${segment}-${on}`, trigger: { type: "segment", segment, on }, steps: [{ id: "note", type: "send", channel: "sandbox", content: { text: `${on} ${segment}` } }] });
    }
  }
}

describe("segments: incremental membership", () => {
  it("emits entered / exited exactly once per change, as a hook and as a job", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    await journeysOn(nudge, "pro");
    const seen = watch(nudge);
    const { profileId } = await nudge.identify({ userId: "u1", traits: { plan: "pro" } });
    await nudge.drain();
    await nudge.identify({ userId: "u1", traits: { plan: "pro", name: "Minji" } });
    await nudge.track({ userId: "u1", event: "page_viewed" });
    await nudge.drain();
    expect(seen.hooks).toEqual(["pro:entered"]);
    await nudge.identify({ userId: "u1", traits: { plan: "free" } });
    await nudge.identify({ userId: "u1", traits: { plan: "free" } });
    await nudge.drain();
    await nudge.identify({ userId: "u1", traits: { plan: "pro" } });
    await nudge.drain();
    expect(seen.hooks).toEqual(["pro:entered", "pro:exited", "pro:entered"]);
    expect(seen.jobs).toEqual(seen.hooks);
    expect(await nudge.segments.members("pro")).toEqual({ items: [profileId], nextCursor: null });
    await nudge.stop();
  });

  it("a change no journey starts on is announced by hook only: no job, no notice", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    await nudge.segments.put({ id: "vip", condition: { type: "trait", trait: "vip", op: "eq", value: true } });
    // A journey on entering "vip" only.
    await publish(nudge, { id: "vip-welcome", trigger: { type: "segment", segment: "vip" }, steps: [{ id: "hi", type: "send", channel: "sandbox", content: { text: "Hi" } }] });
    const seen = watch(nudge);
    const timers = nudge.resolve(Tokens.TimerStore);
    const schedule = vi.spyOn(timers, "schedule");
    await nudge.identify({ userId: "u1", traits: { plan: "pro", vip: true } });
    await nudge.drain();
    await nudge.identify({ userId: "u1", traits: { plan: "free", vip: false } });
    await nudge.drain();
    expect(seen.hooks.sort()).toEqual(["pro:entered", "pro:exited", "vip:entered", "vip:exited"]);
    expect(seen.jobs).toEqual(["vip:entered"]);
    expect(schedule.mock.calls.filter(([t]) => t.kind === "segment.notice").map(([t]) => t.payload["segmentId"])).toEqual(["vip"]);
    await nudge.stop();
  });

  it("a new person is evaluated in full once their first event is stored: no enter-then-exit flicker", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "dormant", condition: { type: "event", event: "login", within: "P14D", op: "eq", value: 0 } });
    await nudge.segments.put({ id: "holdout", condition: { type: "bucket", from: 0, to: 10000, salt: "global" } });
    const seen = watch(nudge);
    await nudge.track({ userId: "first-login", event: "login" });
    await nudge.track({ userId: "first-view", event: "page_viewed" });
    await nudge.drain();
    expect(seen.hooks.sort()).toEqual(["dormant:entered", "holdout:entered", "holdout:entered"]);
    const dormant = await nudge.segments.members("dormant");
    expect(dormant.items).toEqual([(await nudge.profiles.find({ userId: "first-view" }))!.id]);
    await nudge.stop();
  });

  it("an event or a trait re-evaluates only the segments it can change", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "buyers", condition: { type: "event", event: "purchase", within: "P30D", op: "gte", value: 2 } });
    await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    await nudge.segments.put({ id: "seoul", condition: { type: "trait", trait: "address.city", op: "eq", value: "Seoul" } });
    await nudge.identify({ userId: "u1", traits: { plan: "free" } });
    await nudge.drain();
    const evaluate = vi.spyOn(SegmentEvaluator.prototype, "evaluate");
    const evaluated = () => evaluate.mock.calls.map(([c]) => (c.type === "trait" ? c.trait : c.type)).sort();

    await nudge.track({ userId: "u1", event: "page_viewed" });
    await nudge.drain();
    expect(evaluated()).toEqual([]);
    await nudge.track({ userId: "u1", event: "purchase" });
    await nudge.drain();
    expect(evaluated()).toEqual(["event"]);
    evaluate.mockClear();
    await nudge.identify({ userId: "u1", traits: { address: { city: "Seoul" } } });
    await nudge.drain();
    expect(evaluated()).toEqual(["address.city"]);
    expect(await nudge.segments.count("seoul")).toBe(1);
    evaluate.mockRestore();
    await nudge.stop();
  });

  it("the inactivity segment flips when the clock passes the window with no event, by a timer, not a scan", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "dormant", condition: { type: "event", event: "login", within: "P14D", op: "eq", value: 0 } });
    await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    await nudge.segments.put({
      id: "dormant-pro",
      condition: { type: "and", conditions: [{ type: "segment", segment: "pro" }, { type: "segment", segment: "dormant" }] },
    });
    const { profileId } = await nudge.identify({ userId: "u1", traits: { plan: "pro" } });
    await nudge.track({ userId: "u1", event: "login" });
    await nudge.drain();
    await journeysOn(nudge, "dormant", "dormant-pro");
    const seen = watch(nudge);
    const list = vi.spyOn(nudge.resolve(Tokens.ProfileStore), "list");
    expect(await nudge.segments.count("dormant")).toBe(0);

    clock.advance(13 * DAY);
    await nudge.drain();
    await nudge.track({ userId: "u1", event: "page_viewed" }); // not a login: changes nothing
    await nudge.drain();
    expect(seen.hooks).toEqual([]);
    clock.advance(DAY);
    await nudge.drain();
    expect(seen.hooks).toEqual([]); // exactly 14 days: still inside the window
    clock.advance(1);
    await nudge.drain();
    expect(seen.hooks).toEqual(["dormant:entered", "dormant-pro:entered"]);
    expect(await nudge.segments.members("dormant")).toEqual({ items: [profileId], nextCursor: null });
    expect(list).not.toHaveBeenCalled();

    clock.advance(30 * DAY);
    await nudge.drain();
    await nudge.track({ userId: "u1", event: "login" });
    await nudge.drain();
    expect(seen.hooks).toEqual(["dormant:entered", "dormant-pro:entered", "dormant:exited", "dormant-pro:exited"]);
    expect(seen.jobs).toEqual(seen.hooks);
    clock.advance(14 * DAY + 1);
    await nudge.drain();
    expect(seen.hooks.slice(4)).toEqual(["dormant:entered", "dormant-pro:entered"]);
    await nudge.stop();
  });

  it("windows that fill up flip back: at least 2 purchases in 7 days, re-checked as each one ages out", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "buyers", condition: { type: "event", event: "purchase", within: "P7D", op: "gte", value: 2 } });
    const seen = watch(nudge);
    await nudge.track({ userId: "u1", event: "purchase" });
    clock.advance(2 * DAY);
    await nudge.track({ userId: "u1", event: "purchase" });
    clock.advance(2 * DAY);
    await nudge.track({ userId: "u1", event: "purchase" });
    await nudge.drain();
    expect(seen.hooks).toEqual(["buyers:entered"]);
    clock.advance(3 * DAY + 1); // the first purchase ages out: two remain
    await nudge.drain();
    expect(seen.hooks).toEqual(["buyers:entered"]);
    clock.advance(2 * DAY); // the second one too
    await nudge.drain();
    expect(seen.hooks).toEqual(["buyers:entered", "buyers:exited"]);
    await nudge.stop();
  });

  it("a saved segment is evaluated for everyone already there; new people enter segments true of anyone", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    for (let i = 0; i < 30; i++) await nudge.identify({ userId: `u${i}`, traits: { n: i } });
    await nudge.drain();
    const seen = watch(nudge);
    await nudge.segments.put({ id: "low", condition: { type: "trait", trait: "n", op: "lt", value: 10 } });
    await nudge.segments.put({ id: "not-low", condition: { type: "not", condition: { type: "segment", segment: "low" } } });
    await nudge.drain();
    expect(await nudge.segments.count("low")).toBe(10);
    expect(await nudge.segments.count("not-low")).toBe(20);
    expect(seen.hooks.filter((h) => h === "low:entered")).toHaveLength(10);
    // Saving the same definition again changes nothing.
    await nudge.segments.put({ id: "low", condition: { type: "trait", trait: "n", op: "lt", value: 10 } });
    await nudge.drain();
    expect(seen.hooks).toHaveLength(30);
    await nudge.track({ anonymousId: "visitor", event: "page_viewed" });
    await nudge.drain();
    expect(await nudge.segments.count("not-low")).toBe(21);
    await nudge.stop();
  });

  it("a merged anonymous profile leaves its segments; the person is re-evaluated with the joined history", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "carted", condition: { type: "event", event: "added_to_cart", within: "P7D" } });
    const anon = await nudge.track({ anonymousId: "a1", event: "added_to_cart" });
    const known = await nudge.identify({ userId: "u1" });
    await nudge.drain();
    expect((await nudge.segments.members("carted")).items).toEqual([anon.profileId]);
    await nudge.identify({ userId: "u1", anonymousId: "a1" });
    await nudge.drain();
    expect((await nudge.segments.members("carted")).items).toEqual([known.profileId]);
    await nudge.stop();
  });

  it("message engagement: a journey's message enters a 'received' segment, which it leaves when the window passes", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    await publish(nudge, welcomeJourney);
    await nudge.segments.put({ id: "welcomed", condition: { type: "engagement", action: "received", journeyId: "welcome", within: "P1D" } });
    const seen = watch(nudge);
    await nudge.track({ userId: "u1", event: "signed_up", properties: { plan: "pro" } });
    await nudge.drain();
    expect(seen.hooks).toEqual(["welcomed:entered"]);
    clock.advance(DAY + 1);
    await nudge.drain();
    expect(seen.hooks).toEqual(["welcomed:entered", "welcomed:exited"]);
    await nudge.stop();
  });

  it("a segment in use by another cannot be removed; removing one drops its members", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "a", condition: { type: "bucket", from: 0, to: 10000 } });
    await nudge.segments.put({ id: "b", condition: { type: "segment", segment: "a" } });
    await expect(nudge.segments.put({ id: "a", condition: { type: "segment", segment: "b" } })).rejects.toMatchObject({
      issues: [{ path: "condition", message: "segments would refer to each other in a cycle: a -> b -> a" }],
    });
    await nudge.identify({ userId: "u1" });
    await nudge.drain();
    expect(await nudge.segments.count("b")).toBe(1);
    await expect(nudge.segments.remove("a")).rejects.toMatchObject({ issues: [{ path: "id", message: 'segment "a" is used by "b"' }] });
    expect(await nudge.segments.remove("b")).toBe(true);
    expect(await nudge.segments.remove("b")).toBe(false);
    await expect(nudge.segments.count("b")).rejects.toMatchObject({ code: "NUDGE_NOT_FOUND" });
    expect((await nudge.segments.list()).map((d) => d.id)).toEqual(["a"]);
    await nudge.stop();
  });
});
