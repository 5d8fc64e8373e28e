import { afterAll, describe, expect, it as plainIt } from "vitest";
import { createNudge, FakeClock, PluginConfigError, sandboxChannel, silentLogger, Tokens, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { BullmqQueue, queueBullmq, type BullmqQueueConfigInput } from "@nudge/queue-bullmq";
import { deleteKeys, REDIS, uniquePrefix, redisSuite } from "./redis-test-env.js";

const prefix = uniquePrefix();
const started: Nudge[] = [];
const redis = redisSuite();
const it = redis.it;

afterAll(async () => {
  for (const n of started) await n.stop();
  if (redis.reachable()) await deleteKeys(prefix);
});

async function boot(workspace = "acme", config: Partial<BullmqQueueConfigInput> = {}): Promise<Nudge> {
  const nudge = await createNudge({
    workspace,
    plugins: [storageMemory(), sandboxChannel(), queueBullmq({ connection: REDIS, prefix, ...config })],
    logger: silentLogger(),
    clock: new FakeClock("2026-03-02T01:00:00Z"),
  });
  started.push(nudge);
  return nudge;
}

const welcome = {
  id: "welcome",
  trigger: { type: "event" as const, event: "signed_up" },
  steps: [{ id: "hello", type: "send" as const, channel: "sandbox", content: { text: "Welcome, {{ profile.traits.name }}! Plan: {{ event.properties.plan }}." } }],
};

describe("queue-bullmq in a Nudge instance", () => {
  it("the engine's jobs run on BullMQ: track -> journey -> a sent message", async () => {
    const nudge = await boot();
    expect(nudge.resolve(Tokens.JobQueue)).toBeInstanceOf(BullmqQueue);
    await nudge.start();
    await nudge.journeys.put(welcome);
    await nudge.journeys.publish("welcome");
    await nudge.identify({ userId: "u1", traits: { name: "Minji" } });
    await nudge.track({ userId: "u1", event: "signed_up", properties: { plan: "pro" } });
    await nudge.drain();
    expect(nudge.sandbox.list()).toEqual([expect.objectContaining({ channel: "sandbox", to: "u1", content: { text: "Welcome, Minji! Plan: pro." } })]);
    const log = await nudge.resolve(Tokens.MessageStore).list("acme", { limit: 10 });
    expect(log.items).toEqual([expect.objectContaining({ status: "sent", journeyId: "welcome", stepId: "hello" })]);
    await nudge.stop();
    await nudge.stop();
  });

  it("two instances sharing one Redis each send only their own workspace's messages", async () => {
    const [a, b] = [await boot("brand-a"), await boot("brand-b")];
    for (const n of [a, b]) {
      await n.start();
      await n.journeys.put(welcome);
      await n.journeys.publish("welcome");
    }
    await a.track({ userId: "only-a", event: "signed_up", properties: { plan: "a" } });
    await b.track({ userId: "only-b", event: "signed_up", properties: { plan: "b" } });
    await Promise.all([a.drain(), b.drain()]);
    expect(a.sandbox.list().map((m) => m.to)).toEqual(["only-a"]);
    expect(b.sandbox.list().map((m) => m.to)).toEqual(["only-b"]);
  });

  it("an unreachable Redis fails start() with a clear error", async () => {
    const nudge = await boot("unreachable", { connection: { host: "127.0.0.1", port: 1 } });
    await expect(nudge.start()).rejects.toMatchObject({ message: 'Error in plugin "queue-bullmq" during init: Redis is unreachable at 127.0.0.1:1/0' });
    await nudge.stop(); // nothing left open
  });
});

describe("queue-bullmq config", () => {
  plainIt("a bad config fails createNudge naming the field", async () => {
    const make = (config: unknown) =>
      createNudge({ workspace: "w", plugins: [storageMemory(), queueBullmq(config as BullmqQueueConfigInput)], logger: silentLogger() });
    await expect(make({ connection: REDIS, concurrency: 0 })).rejects.toThrow(PluginConfigError);
    await expect(make({ connection: REDIS, concurrency: 0 })).rejects.toThrow(/queue-bullmq.*concurrency/);
    await expect(make({ connection: REDIS, maxWaiting: -1 })).rejects.toThrow(/maxWaiting/);
    await expect(make({ connection: REDIS, prefix: "a b" })).rejects.toThrow(/prefix/);
    await expect(make({})).rejects.toThrow(/connection/);
    await expect(make({ connection: { url: "http://x" } })).rejects.toThrow(/connection\.url: must start with redis:\/\//);
    await expect(make({ connection: { host: "h", port: 0 } })).rejects.toThrow(/connection\.port/);
    await expect(make({ connection: REDIS, lockDuration: 999 })).rejects.toThrow(/lockDuration/);
    await expect(make({ connection: REDIS, stalledInterval: 100 })).rejects.toThrow(/stalledInterval/);
  });
});
