import { Redis, type RedisOptions } from "ioredis";
import type { BullmqQueueConfig } from "./config.js";

// BullMQ requires maxRetriesPerRequest: null on connections its workers use (https://docs.bullmq.io/guide/connections).
const OPTIONS: RedisOptions = { lazyConnect: true, maxRetriesPerRequest: null, connectionName: "nudge-queue" };

/** One ioredis client for every partition's queue and worker; BullMQ duplicates it for each worker's blocking reads. */
export function createRedis(connection: BullmqQueueConfig["connection"]): Redis {
  if ("url" in connection) return new Redis(connection.url, OPTIONS);
  return new Redis({ ...OPTIONS, host: connection.host, port: connection.port, db: connection.db, password: connection.password });
}

/** Where Redis is, for error messages: never the password. */
export function describeConnection(connection: BullmqQueueConfig["connection"]): string {
  if (!("url" in connection)) return `${connection.host}:${connection.port}/${connection.db ?? 0}`;
  try {
    const u = new URL(connection.url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "the configured url";
  }
}
