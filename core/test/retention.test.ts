import { describe, expect, it } from "vitest";
import { storageMemory, MemoryTimerStore } from "@nudge/storage-memory";
import { aMessage } from "@nudge/core/testkit";
import { z } from "zod";
import { createNudge, definePlugin, FakeClock, PluginConfigError, silentLogger, Tokens, type EngineSettingsInput, type Token } from "@nudge/core";
import { RETENTION_TIMER } from "../src/engine/retention/retention-service.js";
import { MemoryEnrollmentStore, MemoryEventStore, MemoryJourneyStore, MemoryMessageStore, MemoryProfileStore, MemorySegmentStore, MemoryTemplateStore } from "@nudge/storage-memory";

/** The memory stores except one port, which another plugin provides. */
function storageWithout(skip: Token<unknown>) {
  return definePlugin({
    id: "memory-but-one",
    kind: "storage",
    configSchema: z.object({}),
    register(ctx) {
      const stores: [Token<unknown>, unknown][] = [
        [Tokens.ProfileStore, new MemoryProfileStore()],
        [Tokens.EventStore, new MemoryEventStore()],
        [Tokens.JourneyStore, new MemoryJourneyStore()],
        [Tokens.EnrollmentStore, new MemoryEnrollmentStore()],
        [Tokens.MessageStore, new MemoryMessageStore()],
        [Tokens.SegmentStore, new MemorySegmentStore()],
        [Tokens.TemplateStore, new MemoryTemplateStore()],
      ];
      for (const [token, store] of stores) if (token !== skip) ctx.registerInstance(token, store);
    },
  })();
}

const DAY = 86_400_000;
const WS = "acme";

async function boot(retention: EngineSettingsInput["retention"]) {
  const clock = new FakeClock("2026-06-01T00:00:00Z");
  const nudge = await createNudge({ workspace: WS, plugins: [storageMemory()], logger: silentLogger(), clock, settings: { retention } });
  await nudge.start();
  return { nudge, clock, timers: nudge.resolve(Tokens.TimerStore), messages: nudge.resolve(Tokens.MessageStore), events: nudge.resolve(Tokens.EventStore) };
}

describe("retention", () => {
  it("is off unless configured: nothing is scheduled, nothing deleted", async () => {
    const { nudge, clock, timers, events } = await boot(undefined);
    await nudge.track({ userId: "u1", event: "old", timestamp: clock.now() - 1_000 * DAY });
    await nudge.drain();
    expect(await timers.get(WS, "retention")).toBeNull();
    expect(await events.listByProfile(WS, (await nudge.profiles.find({ userId: "u1" }))!.id, { limit: 10 })).toHaveLength(1);
    await nudge.stop();
  });

  it("deletes old events, strips old message contents before deleting old messages, then runs again a period later", async () => {
    const { nudge, clock, timers, messages, events } = await boot({ events: "P30D", messageContent: "P7D", messages: "P90D" });
    const now = clock.now();
    await nudge.track({ userId: "u1", event: "ancient", timestamp: now - 31 * DAY });
    await nudge.track({ userId: "u1", event: "recent", timestamp: now - 29 * DAY });
    const fresh = aMessage(WS, "p1", { createdAt: now - 5 * DAY });
    const stale = aMessage(WS, "p1", { createdAt: now - 8 * DAY });
    const dead = aMessage(WS, "p1", { createdAt: now - 91 * DAY });
    for (const m of [fresh, stale, dead]) await messages.insert(m);

    // The first run is due at start; drain fires it.
    expect((await timers.get(WS, "retention"))?.kind).toBe(RETENTION_TIMER);
    await nudge.drain();
    const pid = (await nudge.profiles.find({ userId: "u1" }))!.id;
    expect((await events.listByProfile(WS, pid, { limit: 10 })).map((e) => e.name)).toEqual(["recent"]);
    expect((await messages.get(WS, fresh.id))?.content).toEqual(fresh.content);
    expect(await messages.get(WS, stale.id)).toMatchObject({ content: null, recipient: null, status: stale.status, channel: stale.channel });
    expect(await messages.get(WS, dead.id)).toBeNull();
    expect((await timers.get(WS, "retention"))?.dueAt).toBe(now + DAY);

    // A day later the next run finds what aged meanwhile.
    clock.advance(DAY + 1);
    await nudge.drain();
    expect(await events.listByProfile(WS, pid, { limit: 10 })).toEqual([]);
    expect((await messages.get(WS, fresh.id))?.content).toEqual(fresh.content);
    clock.advance(2 * DAY);
    await nudge.drain();
    expect((await messages.get(WS, fresh.id))?.content).toBeNull();
    await nudge.stop();
  });

  it("the schedule is durable: a restart neither runs early nor postpones the next run", async () => {
    // Two instances over the same stores stand for one process before and after a restart.
    const timers = new MemoryTimerStore();
    const shared = definePlugin({
      id: "shared-timers",
      kind: "storage",
      configSchema: z.object({}),
      register: (ctx) => ctx.registerInstance(Tokens.TimerStore, timers),
    });
    const clock = new FakeClock("2026-06-01T00:00:00Z");
    const boot = async () => {
      const nudge = await createNudge({
        workspace: WS,
        plugins: [storageWithout(Tokens.TimerStore), shared()],
        logger: silentLogger(),
        clock,
        settings: { retention: { events: "P30D", every: "PT6H" } },
      });
      await nudge.start();
      return nudge;
    };
    const first = await boot();
    await first.drain();
    const due = (await timers.get(WS, "retention"))!.dueAt;
    expect(due).toBe(clock.now() + 6 * 3_600_000);
    await first.stop();
    clock.advance(3_600_000);
    const second = await boot();
    expect((await timers.get(WS, "retention"))?.dueAt).toBe(due);
    clock.advance(5 * 3_600_000);
    await second.drain();
    expect((await timers.get(WS, "retention"))?.dueAt).toBe(due + 6 * 3_600_000);
    await second.stop();
  });

  it("refuses contents kept longer than the messages holding them, naming the field", async () => {
    const make = () =>
      createNudge({ workspace: WS, plugins: [storageMemory()], logger: silentLogger(), settings: { retention: { messageContent: "P90D", messages: "P30D" } } });
    await expect(make()).rejects.toBeInstanceOf(PluginConfigError);
    await expect(make()).rejects.toThrow(/settings\.retention\.messageContent: must not be longer than messages/);
    await expect(createNudge({ workspace: WS, plugins: [storageMemory()], settings: { retention: { events: "30 days" } } })).rejects.toThrow(
      /settings\.retention\.events/,
    );
  });
});
