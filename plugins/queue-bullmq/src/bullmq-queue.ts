import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Queue, Worker, type Job as BullJob } from "bullmq";
import type { Redis } from "ioredis";
import { NudgeError, StorageUnavailableError, type Job, type JobHandler, type JobQueue, type Logger, type QueueStats } from "@nudge/core";
import type { BullmqQueueConfig } from "./config.js";
import { partitionsChanged, queueClosed, toNudgeError } from "./errors.js";
import { partitionOf } from "./partition.js";
import { countJobs } from "./queue-counts.js";
import { createRedis, describeConnection } from "./redis-client.js";

/**
 * BullMQ has no job attempts here: a handler failure is logged and the job is kept in the failed set. A BullMQ
 * retry would park the job in the delayed set and let its key's later jobs overtake it, and the engine already
 * retries on its own terms (events are replayed until processed, sends retry through durable timers).
 */
const jobOptions = (keepFailed: number) => ({ attempts: 1, removeOnComplete: true, removeOnFail: keepFailed === 0 ? true : { count: keepFailed } });

/** Marks code running inside a job, whose follow-up `add`s must not wait for room it is itself holding. */
const insideJob = new AsyncLocalStorage<true>();

/**
 * A JobQueue on BullMQ and Redis. Jobs go to one of `concurrency` partition queues (a key hashes to one
 * partition, keyless jobs go round robin); each partition runs one job at a time across every process (BullMQ's
 * global concurrency), so one key's jobs run in the order added. Jobs live in Redis and survive restarts.
 */
export class BullmqQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly prefix: string;
  private readonly jobOptions: ReturnType<typeof jobOptions>;
  private readonly tails = new Map<string, Promise<void>>();
  private opening: Promise<void> | null = null;
  private redis: Redis | null = null;
  private queues: Queue[] = [];
  private workers: Worker[] = [];
  private roundRobin = 0;
  private adding = 0;
  /** Jobs waiting at the last count, plus those this process added since: when it reaches maxWaiting, count again. */
  private waitingBound = 0;
  private room: Promise<void> | null = null;
  private state: "open" | "closing" | "closed" = "open";
  private closing: Promise<void> | null = null;
  private started = false;

  constructor(
    private readonly logger: Logger,
    private readonly config: BullmqQueueConfig,
    readonly workspace: string,
  ) {
    this.prefix = `${config.prefix}:${workspace}`;
    this.jobOptions = jobOptions(config.keepFailed);
  }

  process(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  /** Connects to Redis and checks the partition layout; fails with a clear error when Redis is unreachable. */
  connect(): Promise<void> {
    this.opening ??= this.open();
    return this.opening;
  }

  async start(): Promise<void> {
    if (this.started || this.state !== "open") return;
    this.started = true;
    await this.connect();
    if (!this.config.worker) return;
    this.workers = this.queues.map((q, partition) => {
      const worker = new Worker(q.name, (job: BullJob) => this.run(job, partition), {
        connection: this.redis!,
        prefix: this.prefix,
        concurrency: 1,
        lockDuration: this.config.lockDuration,
        stalledInterval: this.config.stalledInterval,
      });
      worker.on("error", (err) => {
        if (this.state === "open") this.logger.error({ err, partition }, "queue worker error");
      });
      // The stall check found a job whose lock expired: the process running it died. It runs again, first in its partition.
      worker.on("stalled", (jobId) => this.logger.warn({ jobId, partition }, "job stalled (its process stopped mid-run); it runs again"));
      return worker;
    });
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  add(job: Job): Promise<void> {
    if (this.state === "closed") return Promise.reject(queueClosed(this.workspace));
    if (!this.handlers.has(job.name)) return Promise.reject(new NudgeError("NUDGE_NO_JOB_HANDLER", `no handler for job "${job.name}"`));
    // The partition is chosen now, and one key's adds are issued in call order, so Redis sees them in that order.
    const partition = job.key === undefined ? this.roundRobin++ % this.config.concurrency : partitionOf(job.key, this.config.concurrency);
    const fromJob = insideJob.getStore() === true;
    this.adding++;
    const send = async (): Promise<void> => {
      try {
        await this.connect();
        if (!fromJob) await this.waitForRoom();
        await this.queues[partition]!.add(job.name, job.data, this.jobOptions);
        this.waitingBound++;
      } catch (err) {
        throw toNudgeError(err, `add job "${job.name}"`);
      }
    };
    let done: Promise<void>;
    if (job.key === undefined) {
      done = send();
    } else {
      const key = job.key;
      done = (this.tails.get(key) ?? Promise.resolve()).then(send);
      const tail = done.catch(() => undefined);
      this.tails.set(key, tail);
      void tail.then(() => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
    return done.finally(() => this.adding--);
  }

  async onIdle(): Promise<void> {
    await this.opening?.catch(() => undefined);
    for (let delay = 2; this.state !== "closed" && this.redis; delay = Math.min(delay * 2, 50)) {
      const counts = this.adding === 0 ? await this.counts() : null;
      if (counts && counts.waiting === 0 && counts.active === 0 && this.adding === 0) return;
      await sleep(delay);
    }
  }

  async stats(): Promise<QueueStats> {
    await this.opening?.catch(() => undefined);
    if (!this.redis || this.state === "closed") return { waiting: 0, active: 0 };
    return this.counts();
  }

  /** Stops fetching jobs, lets running ones finish (and add their follow-ups), then closes the connections. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.state = "closing";
    await this.opening?.catch(() => undefined);
    await Promise.all(this.workers.map((w) => w.close()));
    while (this.adding > 0) await Promise.all([...this.tails.values(), sleep(5)]);
    this.state = "closed";
    await Promise.all(this.queues.map((q) => q.close()));
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }

  private async open(): Promise<void> {
    const redis = createRedis(this.config.connection);
    let reported = false;
    redis.on("ready", () => (reported = false));
    redis.on("error", (err) => {
      if (reported || this.state !== "open") return;
      reported = true; // once per outage: ioredis reports every reconnection attempt
      this.logger.warn({ err }, "redis connection error; reconnecting");
    });
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new StorageUnavailableError(`Redis is unreachable at ${describeConnection(this.config.connection)}`, err);
    }
    this.redis = redis;
    this.queues = Array.from({ length: this.config.concurrency }, (_, i) => this.queue(i));
    try {
      await this.checkPartitions();
      // One job at a time per partition across all processes: this is what keeps a key's jobs in order.
      await Promise.all(this.queues.map((q) => q.setGlobalConcurrency(1)));
    } catch (err) {
      throw toNudgeError(err, "prepare its partitions");
    }
  }

  private queue(partition: number): Queue {
    const q = new Queue(`p${partition}`, { connection: this.redis!, prefix: this.prefix });
    q.on("error", (err) => {
      if (this.state === "open") this.logger.error({ err, partition }, "queue error");
    });
    return q;
  }

  /** Changing the partition count while jobs wait would put one key's new jobs in another partition than its old ones. */
  private async checkPartitions(): Promise<void> {
    const key = `${this.prefix}:partitions`;
    const stored = Number((await this.redis!.get(key)) ?? this.config.concurrency);
    if (stored !== this.config.concurrency) {
      const old = Array.from({ length: stored }, (_, i) => this.queue(i));
      const { waiting, active } = await countJobs(this.redis!, old);
      await Promise.all(old.map((q) => q.close()));
      if (waiting + active > 0) throw partitionsChanged(this.workspace, stored, this.config.concurrency, waiting + active);
    }
    await this.redis!.set(key, String(this.config.concurrency));
  }

  private async run(job: BullJob, partition: number): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) {
      this.logger.error({ job: job.name, jobId: job.id, partition }, "no handler for this job in this process");
      throw new NudgeError("NUDGE_NO_JOB_HANDLER", `no handler for job "${job.name}"`);
    }
    try {
      await insideJob.run(true, () => handler(job.data as Record<string, unknown>));
    } catch (err) {
      this.logger.error({ err, job: job.name, jobId: job.id, partition }, "job failed");
      throw err; // BullMQ keeps it in the failed set (attempts: 1); the partition moves on to the next job
    }
  }

  private counts(): Promise<QueueStats> {
    return countJobs(this.redis!, this.queues);
  }

  private async waitForRoom(): Promise<void> {
    if (this.waitingBound < this.config.maxWaiting) return;
    this.room ??= this.makeRoom().finally(() => (this.room = null));
    await this.room;
  }

  /** Like the in-process queue: once full, adds wait until the waiting jobs fall below half the limit. */
  private async makeRoom(): Promise<void> {
    let { waiting } = await this.counts();
    if (waiting >= this.config.maxWaiting) {
      const below = Math.max(1, Math.floor(this.config.maxWaiting / 2));
      // Closing stops this process's workers: stop waiting for room they would make (the job is durable anyway).
      for (let delay = 5; waiting >= below && this.state === "open"; delay = Math.min(delay * 2, 100)) {
        await sleep(delay);
        ({ waiting } = await this.counts());
      }
    }
    this.waitingBound = waiting;
  }
}
