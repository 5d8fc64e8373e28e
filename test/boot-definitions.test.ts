import { afterAll, describe, expect, it, vi } from "vitest";
import {
  createNudge,
  FakeClock,
  sandboxChannel,
  silentLogger,
  Tokens,
  type JourneyDefinitionInput,
  type Nudge,
  type PluginSpec,
  type SegmentDefinitionInput,
} from "@nudge/core";
import { durableBackends } from "./durable-backends.js";

/**
 * A host defines its journeys, segments and templates at every boot, as the docs show. Restarting five
 * times against the same database leaves everything at version 1 with nothing rewritten; a changed
 * definition then makes version 2.
 */

const WS = "acme";
const HOUR = 3_600_000;
const T0 = Date.parse("2026-04-01T09:00:00Z");

const vip: SegmentDefinitionInput = { id: "vip", name: "VIP", condition: { type: "trait", trait: "tier", op: "in", value: ["gold", "platinum"] } };
const greeting = { id: "vip-hello", channel: "sandbox", content: { text: "Welcome to VIP, {{ profile.traits.name }}" }, description: "VIP greeting" };
const welcomeVip: JourneyDefinitionInput = {
  id: "welcome-vip",
  name: "Welcome to VIP",
  trigger: { type: "segment", segment: "vip", on: "entered" },
  entry: { reentry: "never" },
  steps: [{ id: "hello", type: "send", channel: "sandbox", template: "vip-hello" }],
};

interface Definitions {
  segment: SegmentDefinitionInput;
  template: typeof greeting;
  journey: JourneyDefinitionInput;
}

/** One process's boot: start, then define everything, as a host's start-up code does. */
async function boot(storage: () => PluginSpec, at: number, defs: Definitions) {
  const nudge = await createNudge({ workspace: WS, plugins: [storage(), sandboxChannel()], logger: silentLogger(), clock: new FakeClock(at) });
  await nudge.start();
  const writes = {
    journeyVersions: vi.spyOn(nudge.resolve(Tokens.JourneyStore), "putVersion"),
    journeyHeads: vi.spyOn(nudge.resolve(Tokens.JourneyStore), "saveHead"),
    segments: vi.spyOn(nudge.resolve(Tokens.SegmentStore), "put"),
    templates: vi.spyOn(nudge.resolve(Tokens.TemplateStore), "put"),
  };
  await nudge.segments.put(defs.segment);
  await nudge.templates.put(defs.template);
  await nudge.journeys.put(defs.journey);
  await nudge.journeys.publish(defs.journey.id);
  await nudge.drain();
  const counts = Object.fromEntries(Object.entries(writes).map(([k, spy]) => [k, spy.mock.calls.length]));
  return { nudge, counts };
}

async function sent(nudge: Nudge) {
  return (await nudge.resolve(Tokens.MessageStore).list(WS, { limit: 10 })).items;
}

const backends = durableBackends("nudge_boot_defs");

describe.each(backends)("definitions at boot on $name", (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it("five restarts defining the same journey, segment and template: still version 1, nothing rewritten; a change makes version 2", async (ctx) => {
    const availability = await backend.available();
    if (availability !== true) ctx.skip(availability);
    const db = await backend.fresh();
    cleanups.push(db.cleanup);
    const defs: Definitions = { segment: vip, template: greeting, journey: welcomeVip };

    const first = await boot(db.storage, T0, defs);
    expect(first.counts).toEqual({ journeyVersions: 1, journeyHeads: 1, segments: 1, templates: 1 });
    await first.nudge.identify({ userId: "u1", traits: { name: "Minji", tier: "gold" } });
    await first.nudge.drain();
    expect(first.nudge.sandbox.list().map((m) => m.content)).toEqual([{ text: "Welcome to VIP, Minji" }]);
    expect(await sent(first.nudge)).toHaveLength(1);
    const head = await first.nudge.journeys.head(welcomeVip.id);
    expect(head).toMatchObject({ status: "published", latestVersion: 1, publishedVersion: 1, updatedAt: T0 });
    await first.nudge.stop();

    for (let restart = 1; restart <= 5; restart++) {
      const { nudge, counts } = await boot(db.storage, T0 + restart * HOUR, defs);
      expect(counts, `restart ${restart}`).toEqual({ journeyVersions: 0, journeyHeads: 0, segments: 0, templates: 0 });
      expect(await nudge.journeys.head(welcomeVip.id), `restart ${restart}`).toEqual(head);
      expect(await sent(nudge), `restart ${restart}: nobody enrolled again`).toHaveLength(1);
      expect(await nudge.segments.count("vip")).toBe(1);
      await nudge.stop();
    }

    const changed: Definitions = {
      segment: { ...vip, condition: { type: "trait", trait: "tier", op: "eq", value: "platinum" } },
      template: { ...greeting, content: { text: "Welcome to platinum, {{ profile.traits.name }}" } },
      journey: { ...welcomeVip, name: "Welcome to platinum" },
    };
    const next = await boot(db.storage, T0 + 6 * HOUR, changed);
    expect(next.counts).toEqual({ journeyVersions: 1, journeyHeads: 1, segments: 1, templates: 1 });
    expect(await next.nudge.journeys.head(welcomeVip.id)).toMatchObject({ latestVersion: 2, publishedVersion: 2, updatedAt: T0 + 6 * HOUR });
    expect(await next.nudge.segments.count("vip")).toBe(0);
    expect((await next.nudge.templates.get(greeting.id))?.content).toEqual(changed.template.content);
    await next.nudge.stop();
  });
});
