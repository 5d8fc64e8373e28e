import { z } from "zod";

const HostConnection = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).default(6379),
    db: z.number().int().min(0).optional(),
    password: z.string().min(1).optional(),
  })
  .strict();

const UrlConnection = z
  .object({ url: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://") })
  .strict();

/** `queueBullmq({ connection, ... })`: everything but the connection has a default. */
export const BullmqQueueConfig = z
  .object({
    /** Where Redis is: `{ host, port, db?, password? }` or `{ url: "redis://..." }`. */
    connection: z.union([UrlConnection, HostConnection]),
    /** First part of every Redis key; the workspace comes next, so instances never see each other's jobs. */
    prefix: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, '_', '.' and '-' only")
      .default("nudge"),
    /**
     * Partition queues, each worked by one job at a time across every process: the number of jobs that run at
     * once for this workspace. Jobs sharing a key always land in the same partition.
     */
    concurrency: z.number().int().min(1).max(1024).default(16),
    /** Jobs waiting (all partitions) before `add` waits for room: back-pressure instead of an unbounded Redis. */
    maxWaiting: z.number().int().min(1).default(10_000),
    /** Whether this process works jobs. `false` for a process that only adds them (an HTTP ingest tier). */
    worker: z.boolean().default(true),
    /** Failed jobs kept in Redis per partition, for people to inspect with any BullMQ tool. */
    keepFailed: z.number().int().min(0).default(1000),
    /**
     * How long (ms) a running job's lock lasts; its worker renews it at half that. A process that dies mid-job holds
     * the job until the lock expires. Too short, and a job that blocks the event loop that long is taken for stalled
     * and run twice: keep BullMQ's 30 s unless jobs must come back sooner (https://docs.bullmq.io/guide/jobs/stalled).
     */
    lockDuration: z.number().int().min(1_000).default(30_000),
    /** How often (ms) each worker looks for jobs whose lock expired (their process died) and puts them back to run again. */
    stalledInterval: z.number().int().min(500).default(30_000),
  })
  .strict();
export type BullmqQueueConfig = z.infer<typeof BullmqQueueConfig>;
export type BullmqQueueConfigInput = z.input<typeof BullmqQueueConfig>;
