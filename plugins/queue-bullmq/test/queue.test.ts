import { afterAll, describe, expect } from "vitest";
import { capturingLogger, countKeys, deleteKeys, makeQueues, sleep, uniquePrefix, redisSuite } from "./redis-test-env.js";

const prefix = uniquePrefix();
const queues = makeQueues(prefix);
const redis = redisSuite();
const it = redis.it;

afterAll(async () => {
  if (!redis.reachable()) return;
  await queues.closeAll();
  await deleteKeys(prefix);
  expect(await countKeys(prefix)).toBe(0);
});

describe("queue-bullmq: ordering", () => {
  it("20 keys x 50 jobs with random delays: each key's jobs run in order, different keys overlap", async () => {
    const q = queues.make("order");
    const seen = new Map<string, number[]>();
    let running = 0;
    let maxRunning = 0;
    q.process("step", async (data) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(Math.random() * 3);
      const key = String(data["key"]);
      seen.set(key, [...(seen.get(key) ?? []), Number(data["n"])]);
      running--;
    });
    await q.start();
    const adds: Promise<void>[] = [];
    for (let n = 0; n < 50; n++) for (let k = 0; k < 20; k++) adds.push(q.add({ name: "step", key: `person-${k}`, data: { key: `person-${k}`, n } }));
    await Promise.all(adds);
    await q.onIdle();

    const expected = Array.from({ length: 50 }, (_, n) => n);
    expect([...seen.keys()].sort()).toHaveLength(20);
    for (const [, ns] of seen) expect(ns).toEqual(expected);
    expect(maxRunning).toBeGreaterThan(1);
    expect(await q.stats()).toEqual({ waiting: 0, active: 0 });
  }, 60_000);

  it("two queues of one workspace (two processes) never run one key's jobs at once; one stops, the other finishes in order", async () => {
    const a = queues.make("shared", { concurrency: 4 });
    const b = queues.make("shared", { concurrency: 4 });
    const seen = new Map<string, number[]>();
    const runningPerKey = new Map<string, number>();
    let overlaps = 0;
    let total = 0;
    let stopA!: () => void;
    const halfway = new Promise<void>((r) => (stopA = r));
    const by = { a: 0, b: 0 };
    for (const [name, q] of [["a", a], ["b", b]] as const) {
      q.process("step", async (data) => {
        const key = String(data["key"]);
        runningPerKey.set(key, (runningPerKey.get(key) ?? 0) + 1);
        if (runningPerKey.get(key)! > 1) overlaps++;
        by[name]++;
        await sleep(Math.random() * 2);
        seen.set(key, [...(seen.get(key) ?? []), Number(data["n"])]);
        runningPerKey.set(key, runningPerKey.get(key)! - 1);
        if (++total === 60) stopA();
      });
      await q.start();
    }
    for (let k = 0; k < 8; k++) for (let n = 0; n < 30; n++) void b.add({ name: "step", key: `k${k}`, data: { key: `k${k}`, n } });
    await halfway;
    await a.close(); // a process stopping: its running job finishes, the rest is left to b
    await b.onIdle();
    for (const ns of seen.values()) expect(ns).toEqual(Array.from({ length: 30 }, (_, n) => n));
    expect(seen.size).toBe(8);
    expect(overlaps).toBe(0);
    expect(by.a + by.b).toBe(240);
    expect(by.b).toBeGreaterThan(0);
  }, 60_000);
});

describe("queue-bullmq: durability and isolation", () => {
  it("a job added and not yet run when the queue closes runs on a new queue instance (restart)", async () => {
    const before = queues.make("restart");
    before.process("step", async () => {
      throw new Error("never runs here: this instance has no workers started");
    });
    await before.connect();
    await before.add({ name: "step", key: "k", data: { n: 1 } });
    await before.add({ name: "step", key: "k", data: { n: 2 } });
    await before.close();

    const after = queues.make("restart");
    const ran: number[] = [];
    after.process("step", async (data) => void ran.push(Number(data["n"])));
    expect(await after.stats()).toEqual({ waiting: 0, active: 0 }); // not connected yet: nothing known
    await after.start();
    await after.onIdle();
    expect(ran).toEqual([1, 2]);
  });

  it("two workspaces on one Redis never see each other's jobs", async () => {
    const a = queues.make("brand-a");
    const b = queues.make("brand-b");
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.process("step", async (d) => void seenA.push(String(d["id"])));
    b.process("step", async (d) => void seenB.push(String(d["id"])));
    await a.start();
    await b.start();
    for (let i = 0; i < 20; i++) {
      await a.add({ name: "step", key: `p${i % 3}`, data: { id: `a${i}` } });
      await b.add({ name: "step", data: { id: `b${i}` } });
    }
    await Promise.all([a.onIdle(), b.onIdle()]);
    expect(seenA.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`).sort());
    expect(seenB.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`).sort());
  });

  it("a failing handler is logged through the injected logger and the key's next job still runs", async () => {
    const { logger, lines } = capturingLogger();
    const q = queues.make("failing", {}, logger);
    const ran: number[] = [];
    q.process("step", async (data) => {
      const n = Number(data["n"]);
      if (n === 1) throw new Error("boom");
      ran.push(n);
    });
    await q.start();
    for (const n of [0, 1, 2]) await q.add({ name: "step", key: "same", data: { n } });
    await q.onIdle();
    expect(ran).toEqual([0, 2]);
    const failed = lines.filter((l) => l["msg"] === "job failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 50, job: "step", err: expect.objectContaining({ message: "boom" }) });
  });

  it("add refuses a job name nobody handles", async () => {
    const q = queues.make("unknown");
    await expect(q.add({ name: "nobody", data: {} })).rejects.toMatchObject({ code: "NUDGE_NO_JOB_HANDLER" });
  });
});

describe("queue-bullmq: onIdle, stats, back-pressure, close", () => {
  it("stats count waiting and running jobs; onIdle waits for both", async () => {
    const q = queues.make("idle", { concurrency: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let done = 0;
    q.process("slow", async () => {
      await gate;
      done++;
    });
    await q.start();
    for (let i = 0; i < 5; i++) await q.add({ name: "slow", key: "one", data: { i } });
    await sleep(100);
    expect(await q.stats()).toEqual({ waiting: 4, active: 1 });
    let idle = false;
    const idling = q.onIdle().then(() => (idle = true));
    await sleep(100);
    expect(idle).toBe(false);
    release();
    await idling;
    expect(done).toBe(5);
    expect(await q.stats()).toEqual({ waiting: 0, active: 0 });
  });

  it("add waits when maxWaiting jobs wait, and goes on once a worker makes room", async () => {
    const producer = queues.make("full", { maxWaiting: 10, worker: false });
    producer.process("step", async () => undefined);
    await producer.start();
    for (let i = 0; i < 10; i++) await producer.add({ name: "step", data: { i } });
    let added = false;
    const eleventh = producer.add({ name: "step", data: { i: 10 } }).then(() => (added = true));
    await sleep(150);
    expect(added).toBe(false);
    expect((await producer.stats()).waiting).toBe(10);

    const worker = queues.make("full");
    let ran = 0;
    worker.process("step", async () => void ran++);
    await worker.start();
    await eleventh;
    await worker.onIdle();
    expect(ran).toBe(11);
  });

  it("adds made by a running job never wait for room, so a full queue cannot stall the job that drains it", async () => {
    const q = queues.make("fan-out", { concurrency: 1, maxWaiting: 2 });
    const ran: string[] = [];
    q.process("parent", async () => {
      for (let i = 0; i < 5; i++) await q.add({ name: "child", data: { i } });
      ran.push("parent");
    });
    q.process("child", async (d) => void ran.push(`child${String(d["i"])}`));
    await q.start();
    await q.add({ name: "parent", data: {} });
    await q.onIdle();
    expect(ran).toEqual(["parent", "child0", "child1", "child2", "child3", "child4"]);
  });

  it("close lets the running job finish, is idempotent, and later adds are refused", async () => {
    const q = queues.make("closing");
    let finished = false;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    q.process("slow", async () => {
      started();
      await sleep(150);
      finished = true;
    });
    await q.start();
    await q.add({ name: "slow", data: {} });
    await running;
    const first = q.close();
    const second = q.close();
    await Promise.all([first, second]);
    expect(finished).toBe(true);
    await q.close();
    await expect(q.add({ name: "slow", data: {} })).rejects.toMatchObject({ code: "NUDGE_STOPPED", retryable: true });
    await q.onIdle(); // a closed queue is idle
  });

  it("changing the partition count while jobs wait fails at connect, naming both counts", async () => {
    const a = queues.make("repartition", { concurrency: 4, worker: false });
    a.process("step", async () => undefined);
    await a.add({ name: "step", key: "k", data: {} });
    await a.close();
    const b = queues.make("repartition", { concurrency: 8 });
    await expect(b.connect()).rejects.toMatchObject({ code: "NUDGE_QUEUE_PARTITIONS_CHANGED", message: expect.stringContaining("4 partitions") });
    const c = queues.make("repartition", { concurrency: 4 });
    const ran: string[] = [];
    c.process("step", async () => void ran.push("k"));
    await c.start();
    await c.onIdle();
    expect(ran).toEqual(["k"]);
  });
});
