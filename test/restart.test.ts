import { afterAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, sandboxChannel, silentLogger, Tokens, type JourneyDefinitionInput, type Nudge, type PluginSpec } from "@nudge/core";
import { durableBackends } from "./durable-backends.js";

const WS = "acme";
const T0 = "2026-04-01T09:00:00Z";
const HOUR = 3_600_000;

/** signed_up -> wait one hour -> send: the wait is a durable timer that must outlive the process. */
const later: JourneyDefinitionInput = {
  id: "welcome-later",
  trigger: { type: "event", event: "signed_up" },
  steps: [
    { id: "wait", type: "wait", duration: "PT1H", next: "hello" },
    { id: "hello", type: "send", channel: "sandbox", content: { text: "An hour in, {{ profile.traits.name | default: 'friend' }}!" } },
  ],
};

async function boot(storage: () => PluginSpec, clock: FakeClock): Promise<Nudge> {
  const nudge = await createNudge({ workspace: WS, plugins: [storage(), sandboxChannel()], logger: silentLogger(), clock });
  await nudge.start();
  return nudge;
}

async function sentLog(nudge: Nudge) {
  return (await nudge.resolve(Tokens.MessageStore).list(WS, { limit: 10 })).items;
}

const backends = durableBackends("nudge_restart");

describe.each(backends)("restart on $name: a waiting journey resumes in a new process", (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  async function setup(ctx: { skip: (reason: string) => void }) {
    const availability = await backend.available();
    if (availability !== true) ctx.skip(availability);
    const db = await backend.fresh();
    cleanups.push(db.cleanup);
    return db;
  }

  it("start, enroll into a wait, stop; start again, advance the clock: the message is sent exactly once", async (ctx) => {
    const { storage } = await setup(ctx);
    const first = await boot(storage, new FakeClock(T0));
    await first.journeys.put(later);
    await first.journeys.publish(later.id);
    await first.identify({ userId: "u1", traits: { name: "Seoyeon" } });
    await first.track({ userId: "u1", event: "signed_up" });
    await first.drain();
    expect(first.sandbox.list()).toEqual([]);
    expect(await sentLog(first)).toEqual([]);
    await first.stop();

    // A new process: new instance, new fake clock set to the same time, same database.
    const clock = new FakeClock(T0);
    const second = await boot(storage, clock);
    await second.drain();
    expect(second.sandbox.list()).toEqual([]);
    clock.advance(2 * HOUR);
    await second.drain();
    expect(second.sandbox.list().map((m) => m.content)).toEqual([{ text: "An hour in, Seoyeon!" }]);
    const log = await sentLog(second);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: "sent", journeyId: later.id, stepId: "hello" });
    await second.stop();

    // And once more: nothing is left to send twice.
    const thirdClock = new FakeClock(clock.now());
    const third = await boot(storage, thirdClock);
    thirdClock.advance(24 * HOUR);
    await third.drain();
    expect(third.sandbox.list()).toEqual([]);
    expect(await sentLog(third)).toHaveLength(1);
    await third.stop();
  });

  it("a process that dies without stopping loses nothing: the next one sends once", async (ctx) => {
    const { storage } = await setup(ctx);
    const dying = await boot(storage, new FakeClock(T0));
    await dying.journeys.put(later);
    await dying.journeys.publish(later.id);
    await dying.track({ userId: "u2", event: "signed_up" });
    await dying.drain();
    // No stop(): its connection stays open and idle, as a killed process's would until the OS drops it.

    const clock = new FakeClock(T0);
    const next = await boot(storage, clock);
    clock.advance(2 * HOUR);
    await next.drain();
    expect(next.sandbox.list().map((m) => m.to)).toEqual(["u2"]);
    expect(await sentLog(next)).toHaveLength(1);
    await next.stop();
    await dying.stop();
  });
});
