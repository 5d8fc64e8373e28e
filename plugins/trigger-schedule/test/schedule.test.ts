import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createNudge,
  definePlugin,
  FakeClock,
  silentLogger,
  Tokens,
  type Channel,
  type JourneyDefinitionInput,
  type Nudge,
  type PluginSpec,
} from "@nudge/core";
import {
  MemoryEnrollmentStore,
  MemoryEventStore,
  MemoryJourneyStore,
  MemoryMessageStore,
  MemoryProfileStore,
  MemorySegmentStore,
  MemoryTemplateStore,
  MemoryTimerStore,
  storageMemory,
} from "@nudge/storage-memory";
import { triggerSchedule } from "@nudge/trigger-schedule";

interface Sent {
  to: string;
  at: number;
}

function recorder(sent: Sent[]): PluginSpec {
  return definePlugin({
    id: "recorder",
    kind: "channel",
    configSchema: z.object({}),
    register(ctx) {
      const channel: Channel<{ text: string }> = {
        id: "sms",
        providers: ["test"],
        contentSchema: z.object({ text: z.string() }),
        address: (p) => p.userId,
        async send(m) {
          sent.push({ to: m.to, at: m.context.now });
          return { providerMessageId: String(sent.length) };
        },
      };
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    },
  })();
}

const HOUR = 3_600_000;

function daily(trigger: Partial<Extract<JourneyDefinitionInput["trigger"], { type: "schedule" }>> = {}): JourneyDefinitionInput {
  return {
    id: "digest",
    trigger: { type: "schedule", cron: "0 10 * * *", ...trigger },
    entry: { reentry: "always" },
    steps: [{ id: "send", type: "send", channel: "sms", content: { text: "your daily digest" } }],
  };
}

async function boot(options: { clock: FakeClock; sent: Sent[]; timezone?: string; storage?: PluginSpec; catchUpMs?: number }): Promise<Nudge> {
  const nudge = await createNudge({
    workspace: "acme",
    plugins: [options.storage ?? storageMemory(), recorder(options.sent), triggerSchedule({ catchUpMs: options.catchUpMs ?? 0 })],
    logger: silentLogger(),
    clock: options.clock,
    settings: { timezone: options.timezone ?? "Asia/Seoul" },
  });
  await nudge.start();
  return nudge;
}

/** Moves the clock hour by hour, running what falls due, as a real clock would (ticks land on the hour). */
async function hours(nudge: Nudge, clock: FakeClock, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    clock.advance(HOUR);
    await nudge.drain();
  }
}

const local = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd HH:mm");

describe("trigger-schedule", () => {
  it("a cron in the workspace's zone enrols every profile at each occurrence", async () => {
    const sent: Sent[] = [];
    const clock = new FakeClock("2026-03-02T00:00:00Z"); // 09:00 in Seoul
    const nudge = await boot({ clock, sent });
    await nudge.journeys.put(daily());
    await nudge.journeys.publish("digest");
    for (const userId of ["a", "b"]) await nudge.identify({ userId });
    await hours(nudge, clock, 48);
    expect(sent.map((s) => `${s.to} ${local(s.at, "Asia/Seoul")}`).sort()).toEqual([
      "a 2026-03-02 10:00",
      "a 2026-03-03 10:00",
      "b 2026-03-02 10:00",
      "b 2026-03-03 10:00",
    ]);
    await nudge.stop();
  });

  it("a recipient-zone cron fires at 10:00 in each person's own zone; people without one use the workspace's", async () => {
    const sent: Sent[] = [];
    const clock = new FakeClock("2026-03-02T00:00:00Z");
    const nudge = await boot({ clock, sent, timezone: "Europe/Paris" });
    await nudge.journeys.put(daily({ timezone: "recipient" }));
    await nudge.journeys.publish("digest");
    await nudge.identify({ userId: "seoul", traits: { timezone: "Asia/Seoul" } });
    await nudge.identify({ userId: "ny", traits: { timezone: "America/New_York" } });
    await nudge.identify({ userId: "paris" });
    await hours(nudge, clock, 24);
    const zones: Record<string, string> = { seoul: "Asia/Seoul", ny: "America/New_York", paris: "Europe/Paris" };
    expect(sent.map((s) => `${s.to} ${local(s.at, zones[s.to]!)}`).sort()).toEqual(["ny 2026-03-02 10:00", "paris 2026-03-02 10:00", "seoul 2026-03-02 10:00"]);
    await nudge.stop();
  });

  it("a segment audience: only members are enrolled", async () => {
    const sent: Sent[] = [];
    const clock = new FakeClock("2026-03-02T00:00:00Z");
    const nudge = await boot({ clock, sent });
    await nudge.journeys.put(daily({ segment: "subscribers" }));
    await nudge.journeys.publish("digest");
    const member = await nudge.identify({ userId: "member" });
    await nudge.identify({ userId: "outsider" });
    await nudge.resolve(Tokens.SegmentStore).setMember("acme", "subscribers", member.profileId, true, clock.now());
    await hours(nudge, clock, 24);
    expect(sent.map((s) => s.to)).toEqual(["member"]);
    await nudge.stop();
  });

  it("after a restart, an occurrence missed within the catch-up window runs once, and not again on the next restart", async () => {
    const sent: Sent[] = [];
    const clock = new FakeClock("2026-03-02T00:00:00Z");
    // One set of stores for every instance (storageMemory() would make fresh ones per instance).
    const stores = [
      [Tokens.ProfileStore, new MemoryProfileStore()],
      [Tokens.EventStore, new MemoryEventStore()],
      [Tokens.JourneyStore, new MemoryJourneyStore()],
      [Tokens.EnrollmentStore, new MemoryEnrollmentStore()],
      [Tokens.TimerStore, new MemoryTimerStore()],
      [Tokens.MessageStore, new MemoryMessageStore()],
      [Tokens.SegmentStore, new MemorySegmentStore()],
      [Tokens.TemplateStore, new MemoryTemplateStore()],
    ] as const;
    const shared = definePlugin({
      id: "storage-shared",
      kind: "storage",
      configSchema: z.object({}),
      register(ctx) {
        for (const [token, store] of stores) ctx.registerInstance(token as never, store as never);
      },
    });
    let nudge = await boot({ clock, sent, storage: shared() });
    await nudge.journeys.put(daily());
    await nudge.journeys.publish("digest");
    await nudge.identify({ userId: "a" });
    await nudge.drain();
    await nudge.stop(); // down from 09:00 to 10:30 Seoul time
    clock.set("2026-03-02T01:30:00Z");
    nudge = await boot({ clock, sent, storage: shared(), catchUpMs: 2 * HOUR });
    await nudge.drain();
    expect(sent.map((s) => local(s.at, "Asia/Seoul"))).toEqual(["2026-03-02 10:30"]);
    await nudge.stop();
    nudge = await boot({ clock, sent, storage: shared(), catchUpMs: 2 * HOUR });
    await nudge.drain();
    expect(sent).toHaveLength(1);
    await nudge.stop();
  });

  it("an invalid cron expression is skipped without stopping the others", async () => {
    const sent: Sent[] = [];
    const clock = new FakeClock("2026-03-02T00:00:00Z");
    const nudge = await boot({ clock, sent });
    await nudge.journeys.put({ ...daily({ cron: "every day at ten" }), id: "broken" });
    await nudge.journeys.publish("broken");
    await nudge.journeys.put(daily());
    await nudge.journeys.publish("digest");
    await nudge.identify({ userId: "a" });
    await hours(nudge, clock, 24);
    expect(sent).toHaveLength(1);
    await nudge.stop();
  });
});
