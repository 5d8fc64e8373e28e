import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { pino } from "pino";
import { it } from "vitest";
import { silentLogger, type Logger } from "@nudge/core";
import { serviceAvailable } from "@nudge/core/testkit";
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

/** A pino logger whose lines are kept, to check what the queue logged. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split("\n")) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines };
}

/** An `it` that skips with the probe's reason when Redis is absent (and fails when services are required). */
export function whenRedis(skip: () => string | null) {
  return (title: string, fn: () => Promise<void>, timeout?: number) =>
    it(
      title,
      async (ctx) => {
        const reason = skip();
        if (reason !== null) ctx.skip(reason);
        await fn();
      },
      timeout,
    );
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
