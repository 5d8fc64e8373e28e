import { Redis } from "ioredis";
import { beforeAll, it } from "vitest";
import { silentLogger, type Logger } from "@nudge/core";
import { capturingLogger as testkitLogger, serviceAvailable } from "@nudge/core/testkit";
import { BullmqQueue, BullmqQueueConfig, type BullmqQueueConfigInput } from "@nudge/queue-bullmq";

/** The local test Redis; each run works under its own key prefix, deleted afterwards, so runs never collide. */
export const REDIS = { host: "127.0.0.1", port: 6379 } as const;

export const redisAvailable = () => serviceAvailable("Redis", REDIS.host, REDIS.port);

export function uniquePrefix(): string {
  return `nudge-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Deletes every key under `prefix:`. */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis({ ...REDIS, maxRetriesPerRequest: null });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
}

export async function countKeys(prefix: string): Promise<number> {
  const redis = new Redis({ ...REDIS, maxRetriesPerRequest: null });
  try {
    return (await redis.keys(`${prefix}:*`)).length;
  } finally {
    await redis.quit();
  }
}

/** A queue straight from the class, as the plugin builds it; closed by `closeAll`. */
export function makeQueues(prefix: string) {
  const made: BullmqQueue[] = [];
  return {
    make(workspace = "acme", config: Partial<BullmqQueueConfigInput> = {}, logger: Logger = silentLogger()): BullmqQueue {
      const q = new BullmqQueue(logger, BullmqQueueConfig.parse({ connection: REDIS, prefix, ...config }), workspace);
      made.push(q);
      return q;
    },
    async closeAll(): Promise<void> {
      await Promise.all(made.map((q) => q.close()));
    },
  };
}

/** A logger whose lines are kept, at debug level: the queue's own debug lines are checked too. */
export const capturingLogger = () => testkitLogger("debug");

/**
 * Probes Redis once before the file's tests (registered here) and gives an `it` that skips with the probe's
 * reason when Redis is absent (and fails when services are required). `reachable()` tells cleanup whether
 * there is anything to clean.
 */
export function redisSuite() {
  let skip: string | null = "Redis not probed yet";
  beforeAll(async () => {
    const a = await redisAvailable();
    skip = a === true ? null : a;
  });
  const redisIt = (title: string, fn: () => Promise<void>, timeout?: number) =>
    it(
      title,
      async (ctx) => {
        if (skip !== null) ctx.skip(skip);
        await fn();
      },
      timeout,
    );
  return { it: redisIt, reachable: () => skip === null };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
