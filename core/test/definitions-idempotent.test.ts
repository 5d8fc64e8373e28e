import { afterEach, describe, expect, it, vi } from "vitest";
import { Tokens, type JourneyDefinitionInput, type Nudge, type SegmentDefinitionInput, type Token } from "@nudge/core";
import { SegmentBackfill } from "../src/engine/segments/segment-backfill.js";
import { makeNudge } from "./helpers.js";

/**
 * Defining journeys, segments and templates at boot (as the docs show) must not make a new version, a new
 * write or a membership rebuild when nothing changed: only a real change does.
 */

const welcome: JourneyDefinitionInput = {
  id: "welcome",
  trigger: { type: "event", event: "signed_up", where: [{ property: "plan", op: "eq", value: "pro" }] },
  steps: [{ id: "hello", type: "send", channel: "sandbox", content: { text: "Hi {{ profile.traits.name }}", footer: "bye" } }],
};

/** The same definition, every object's keys in another order (as a JSON file or jsonb may give them). */
const welcomeReordered: JourneyDefinitionInput = {
  steps: [{ content: { footer: "bye", text: "Hi {{ profile.traits.name }}" }, channel: "sandbox", type: "send", id: "hello" }],
  trigger: { where: [{ value: "pro", op: "eq", property: "plan" }], event: "signed_up", type: "event" },
  id: "welcome",
};

const vip: SegmentDefinitionInput = { id: "vip", name: "VIP", condition: { type: "trait", trait: "tier", op: "in", value: ["gold", "platinum"] } };
const vipReordered: SegmentDefinitionInput = { condition: { value: ["gold", "platinum"], op: "in", trait: "tier", type: "trait" }, name: "VIP", id: "vip" };

/** A copy with every object's keys in reverse order. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)])) as T;
}

let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

async function started() {
  const made = await makeNudge();
  nudge = made.nudge;
  await nudge.start();
  return made;
}

describe("definitions: an unchanged definition is a no-op", () => {
  it("journeys: put of an equal definition returns the latest version and writes nothing; a change makes the next", async () => {
    const { nudge, clock } = await started();
    const store = nudge.resolve(Tokens.JourneyStore);
    const first = await nudge.journeys.put(welcome);
    const published = await nudge.journeys.publish("welcome");
    const putVersion = vi.spyOn(store, "putVersion");
    const saveHead = vi.spyOn(store, "saveHead");
    clock.advance(60_000);

    const again = await nudge.journeys.put(welcomeReordered);
    const republished = await nudge.journeys.publish("welcome");
    expect(again).toEqual(first);
    expect(republished).toEqual(published);
    expect(putVersion).not.toHaveBeenCalled();
    expect(saveHead).not.toHaveBeenCalled();
    expect(await nudge.journeys.head("welcome")).toMatchObject({ latestVersion: 1, publishedVersion: 1, updatedAt: published.updatedAt });

    const changed = await nudge.journeys.put({ ...welcome, name: "Welcome" });
    expect(changed.version).toBe(2);
    expect((await nudge.journeys.publish("welcome")).publishedVersion).toBe(2);
    expect(saveHead).toHaveBeenCalledTimes(1);
    // Going back to an older definition is a change too: compared with the latest version only.
    expect((await nudge.journeys.put(welcome)).version).toBe(3);
  });

  it("journeys: pausing a paused journey or resuming a running one writes nothing", async () => {
    const { nudge } = await started();
    await nudge.journeys.put(welcome);
    await nudge.journeys.publish("welcome");
    const saveHead = vi.spyOn(nudge.resolve(Tokens.JourneyStore), "saveHead");
    await nudge.journeys.resume("welcome");
    await nudge.journeys.pause("welcome");
    await nudge.journeys.pause("welcome");
    expect(saveHead).toHaveBeenCalledTimes(1);
    expect((await nudge.journeys.head("welcome"))?.status).toBe("paused");
  });

  it("segments: an equal definition (keys in any order) writes nothing and evaluates nobody again", async () => {
    const { nudge } = await started();
    await nudge.identify({ userId: "u1", traits: { tier: "gold" } });
    await nudge.segments.put(vip);
    await nudge.drain();
    expect(await nudge.segments.count("vip")).toBe(1);
    // The store hands definitions back with keys in its own order, as PostgreSQL's jsonb does.
    const store = nudge.resolve(Tokens.SegmentStore);
    const get = store.get.bind(store);
    vi.spyOn(store, "get").mockImplementation(async (ws, id) => reversedKeys(await get(ws, id)));
    const put = vi.spyOn(store, "put");
    const backfill = vi.spyOn(nudge.resolve(SegmentBackfill as unknown as Token<SegmentBackfill>), "start");

    await nudge.segments.put(vipReordered);
    expect(put).not.toHaveBeenCalled();
    expect(backfill).not.toHaveBeenCalled();

    await nudge.segments.put({ ...vip, condition: { type: "trait", trait: "tier", op: "eq", value: "platinum" } });
    expect(put).toHaveBeenCalledTimes(1);
    expect(backfill).toHaveBeenCalledWith(["vip"]);
    await nudge.drain();
    expect(await nudge.segments.count("vip")).toBe(0);
  });

  it("templates: an equal template (keys in any order) writes nothing; a changed one is stored", async () => {
    const { nudge } = await started();
    await nudge.templates.put({ id: "hi", channel: "sandbox", content: { text: "Hi {{ profile.traits.name }}", footer: "bye" }, description: "greeting" });
    const put = vi.spyOn(nudge.resolve(Tokens.TemplateStore), "put");
    await nudge.templates.put({ description: "greeting", content: { footer: "bye", text: "Hi {{ profile.traits.name }}" }, channel: "sandbox", id: "hi" });
    expect(put).not.toHaveBeenCalled();
    await nudge.templates.put({ id: "hi", channel: "sandbox", content: { text: "Hello {{ profile.traits.name }}", footer: "bye" }, description: "greeting" });
    expect(put).toHaveBeenCalledTimes(1);
    expect((await nudge.templates.get("hi"))?.content).toEqual({ text: "Hello {{ profile.traits.name }}", footer: "bye" });
  });
});
