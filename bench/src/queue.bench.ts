import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createNudge, silentLogger, Tokens, type JobQueue } from "@nudge/core";
import { serviceAvailable } from "@nudge/core/testkit";
import { queueBullmq } from "@nudge/queue-bullmq";
import { storageMemory } from "@nudge/storage-memory";
import type { Benchmark } from "./run.js";
import { record, round } from "./record.js";

const REDIS = { host: "127.0.0.1", port: 6379 };
/** Jobs per run; QUEUE_BENCH_JOBS makes a quick check possible. */
const JOBS = Number(process.env["QUEUE_BENCH_JOBS"] ?? 20_000);
const KEYS = 1_000;
const CONCURRENCY = 16;
/** Callers adding at once, as concurrent requests and handlers would. */
const ADDERS = 50;

async function addAll(add: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: ADDERS }, async () => { for (let i = next++; i < JOBS; i = next++) await add(i); }));
}

const perSecond = (started: number) => JOBS / ((performance.now() - started) / 1000);

/** Keyed no-op jobs through the plugin, as the engine uses it: add every job, then wait until the workspace is idle. */
async function viaPlugin(prefix: string): Promise<number> {
  const nudge = await createNudge({
    workspace: "bench",
    plugins: [storageMemory(), queueBullmq({ connection: REDIS, prefix, concurrency: CONCURRENCY, maxWaiting: JOBS * 2 })],
    logger: silentLogger(),
  });
  const queue: JobQueue = nudge.resolve(Tokens.JobQueue);
  queue.process("bench.noop", async () => undefined);
  await nudge.start();
  try {
    const t = performance.now();
    await addAll((i) => queue.add({ name: "bench.noop", key: `person-${i % KEYS}`, data: { i } }));
    await queue.onIdle();
    return perSecond(t);
  } finally {
    await nudge.stop();
  }
}

/** The same jobs on one plain BullMQ queue and one worker with the same concurrency (no per-key order). */
async function rawBullmq(prefix: string): Promise<number> {
  const connection = new Redis({ ...REDIS, maxRetriesPerRequest: null });
  const queue = new Queue("raw", { connection, prefix });
  let done = 0;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  const worker = new Worker("raw", async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
  worker.on("completed", () => void (++done === JOBS && finished()));
  await worker.waitUntilReady();
  try {
    const t = performance.now();
    await addAll((i) => queue.add("bench.noop", { key: `person-${i % KEYS}`, i }, { removeOnComplete: true }));
    await all;
    return perSecond(t);
  } finally {
    await worker.close();
    await queue.close();
    await connection.quit();
  }
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
  await redis.quit();
}

/** Jobs/s through `@nudge/queue-bullmq` next to raw BullMQ on the same Redis, alternated twice, best of each kept. */
const bench: Benchmark = {
  name: "queue",
  async run() {
    const up = await serviceAvailable("Redis", REDIS.host, REDIS.port);
    if (up !== true) {
      console.log(`queue figures skipped: ${up}`);
      return;
    }
    const prefix = `nudge-bench-${process.pid}`;
    let plugin = 0;
    let raw = 0;
    try {
      for (let r = 0; r < 2; r++) {
        raw = Math.max(raw, await rawBullmq(`${prefix}-raw${r}`));
        plugin = Math.max(plugin, await viaPlugin(`${prefix}-plugin${r}`));
      }
    } finally {
      await deleteKeys(prefix + "-raw0");
      await deleteKeys(prefix + "-raw1");
      await deleteKeys(prefix + "-plugin0");
      await deleteKeys(prefix + "-plugin1");
    }
    record("queue", [
      {
        benchmark: "queue",
        metric: `jobs/s, ${JOBS} keyed no-op jobs over ${KEYS} keys, ${CONCURRENCY} partitions, ${ADDERS} concurrent adders (add + run)`,
        unit: "jobs/s",
        value: round(plugin),
        baseline: `raw BullMQ, one Queue + one Worker, concurrency ${CONCURRENCY}`,
        baselineValue: round(raw),
        target: ">= 0.5",
      },
    ]);
  },
};
export default bench;
