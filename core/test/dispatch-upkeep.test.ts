import { describe, expect, it } from "vitest";
import { z } from "zod";
import { storageMemory } from "@nudge/storage-memory";
import { createNudge, definePlugin, FakeClock, silentLogger, Tokens, type Channel, type DeliveryReport, type EngineSettingsInput, type Message } from "@nudge/core";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A channel whose provider sends no webhooks: what became of a message is only known by asking. */
function pollingChannel(answers: Map<string, DeliveryReport["status"]>, polls: { id: string; at: number }[], clock: FakeClock) {
  let n = 0;
  return definePlugin({
    id: "polling-channel",
    kind: "channel",
    configSchema: z.object({}),
    register(ctx) {
      const channel: Channel<{ text: string }> = {
        id: "sms",
        providers: ["quiet-gateway"],
        contentSchema: z.object({ text: z.string() }),
        address: (p) => p.userId,
        prepare: () => ({ messageType: "SMS" }),
        send: async () => ({ providerMessageId: `pm-${++n}` }),
        async poll({ providerMessageId, messageType }) {
          expect(messageType).toBe("SMS");
          polls.push({ id: providerMessageId, at: clock.now() });
          const status = answers.get(providerMessageId);
          return status ? { providerMessageId, status, providerCode: status === "failed" ? "E-404" : "OK", at: clock.now() } : null;
        },
      };
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    },
  });
}

async function world(settings?: EngineSettingsInput) {
  const clock = new FakeClock("2026-03-02T03:00:00Z");
  const answers = new Map<string, DeliveryReport["status"]>();
  const polls: { id: string; at: number }[] = [];
  const nudge = await createNudge({ workspace: "acme", plugins: [storageMemory(), pollingChannel(answers, polls, clock)()], logger: silentLogger(), clock, ...(settings ? { settings } : {}) });
  await nudge.start();
  await nudge.identify({ userId: "u1" });
  /** Moves the clock a minute at a time, running what fell due. */
  const advance = async (ms: number) => {
    for (const until = clock.now() + ms; clock.now() < until; ) {
      clock.set(Math.min(until, clock.now() + MINUTE));
      await nudge.drain();
    }
  };
  let sent = 0;
  const send = async () => (await nudge.send({ userId: "u1", channel: "sms", content: { text: "Your order shipped" }, idempotencyKey: `order-${++sent}` })) as Message;
  const stored = async (id: string) => (await nudge.resolve(Tokens.MessageStore).get("acme", id))!;
  return { nudge, clock, answers, polls, advance, send, stored };
}

describe("dispatch upkeep: what webhooks never tell", () => {
  it("polls a sent message without a report at growing intervals, and records the answer", async () => {
    const w = await world();
    const m = await w.send();
    expect(m.status).toBe("sent");
    const sentAt = w.clock.now();
    await w.advance(50 * MINUTE);
    // Marks at 5, 15 and 45 minutes: nothing known yet, so the message stays sent.
    expect(w.polls.map((p) => Math.round((p.at - sentAt) / MINUTE))).toEqual([5, 15, 45]);
    expect((await w.stored(m.id)).status).toBe("sent");

    w.answers.set("pm-1", "delivered");
    await w.advance(2 * HOUR);
    const after = await w.stored(m.id);
    expect(after.status).toBe("delivered");
    expect(after.attempts.at(-1)).toMatchObject({ status: "delivered", providerCode: "OK" });
    // Delivered: never asked again.
    const asked = w.polls.length;
    await w.advance(10 * HOUR);
    expect(w.polls).toHaveLength(asked);
    await w.nudge.stop();
  });

  it("a failure learned by polling is recorded with the provider's code; messages too old are left alone", async () => {
    const w = await world();
    const failed = await w.send();
    w.answers.set("pm-1", "failed");
    await w.advance(6 * MINUTE);
    expect((await w.stored(failed.id)).status).toBe("failed");
    expect((await w.stored(failed.id)).attempts.at(-1)).toMatchObject({ status: "failed", providerCode: "E-404" });

    const quiet = await w.send();
    await w.advance(80 * HOUR);
    const marks = w.polls.filter((p) => p.id === "pm-2").length;
    // 5 min, 15 min, 45 min, 2.25 h, 6.75 h, 20.25 h, 60.75 h: then 72 h have passed and polling stops.
    expect(marks).toBe(7);
    expect((await w.stored(quiet.id)).status).toBe("sent");
    await w.nudge.stop();
  });

  it("reaches a message due a poll however many were sent after it, and polls at most `batch` a run", async () => {
    const w = await world({ dispatch: { upkeep: { batch: 5 } } });
    const old = await w.send();
    const sentAt = w.clock.now();
    await w.advance(41 * MINUTE);
    // Far more newer messages than a run may poll, all still without a report.
    for (let i = 0; i < 150; i++) await w.send();
    const before = w.polls.length;
    await w.advance(5 * MINUTE);
    // The old message crossed its 45-minute mark: found by its send time, not by paging through the newer ones.
    expect(w.polls.slice(before).map((p) => p.id)).toEqual([old.attempts[0]!.providerMessageId]);
    expect(Math.round((w.polls.at(-1)!.at - sentAt) / MINUTE)).toBe(45);
    // Then the 150 cross their 5-minute mark together: each run polls at most 5 of them.
    const runs = new Map<number, number>();
    const from = w.polls.length;
    await w.advance(20 * MINUTE);
    for (const p of w.polls.slice(from)) runs.set(p.at, (runs.get(p.at) ?? 0) + 1);
    expect(Math.max(...runs.values())).toBe(5);
    await w.nudge.stop();
  });

  it("settles a message a crash left in 'sending' once its lease is over, never resending it", async () => {
    const w = await world();
    const store = w.nudge.resolve(Tokens.MessageStore);
    // The first send makes the instance start its upkeep; then a "crashed" one is found in the log.
    await w.send();
    const profile = (await w.nudge.profiles.find({ userId: "u1" }))!;
    const now = w.clock.now();
    const crashed: Message = {
      workspaceId: "acme", id: "crashed-1", idempotencyKey: "k-crashed", profileId: profile.id, journeyId: null, journeyVersion: null, stepId: null,
      enrollmentId: null, channels: ["sms"], channel: "sms", marketing: false, topic: null, status: "sending", recipient: "u1",
      content: { sms: { text: "hi" } }, attempts: [], decisions: [], notBefore: null, createdAt: now, updatedAt: now, sentAt: null,
    };
    await store.insert(crashed);
    await w.advance(9 * MINUTE);
    expect((await w.stored("crashed-1")).status).toBe("sending"); // still within its lease: maybe in flight elsewhere
    await w.advance(6 * MINUTE);
    const settled = await w.stored("crashed-1");
    expect(settled.status).toBe("failed");
    expect(settled.decisions.at(-1)?.reason).toMatch(/interrupted while sending/);
    expect(settled.attempts).toEqual([]);
    await w.nudge.stop();
  });

  it("an instance that never sends stores no upkeep timer", async () => {
    const w = await world();
    await w.nudge.track({ userId: "u1", event: "viewed" });
    await w.nudge.drain();
    expect(await w.nudge.resolve(Tokens.TimerStore).nextDueAt("acme")).toBeNull();
    await w.send();
    expect(await w.nudge.resolve(Tokens.TimerStore).nextDueAt("acme")).toBe(w.clock.now() + 5 * MINUTE);
    await w.nudge.stop();
  });
});
