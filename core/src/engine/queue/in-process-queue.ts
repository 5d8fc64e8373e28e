import PQueue from "p-queue";
import type { Job, JobHandler, JobQueue, QueueStats } from "../../ports/job-queue.js";
import type { Logger } from "../../ports/logger.js";
import { NudgeError } from "../../errors.js";

export interface InProcessQueueOptions {
  /** Jobs running at once across all keys. */
  concurrency: number;
  /** Jobs waiting before `add` starts to wait (back-pressure). */
  maxWaiting: number;
}

/**
 * The default JobQueue: p-queue bounds concurrency; jobs sharing a key are chained so they run one at
 * a time in the order added. A handler failure is logged and does not block the key's later jobs.
 */
export class InProcessQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly pq: PQueue;
  private readonly tails = new Map<string, Promise<void>>();
  private chained = 0;
  private closed = false;

  constructor(
    private readonly logger: Logger,
    private readonly options: InProcessQueueOptions = { concurrency: 32, maxWaiting: 10_000 },
  ) {
    this.pq = new PQueue({ concurrency: options.concurrency });
  }

  process(name: string, handler: JobHandler): void {
    this.handlers.set(name, handler);
  }

  async start(): Promise<void> {}

  async add(job: Job): Promise<void> {
    if (this.closed) throw new NudgeError("NUDGE_STOPPED", "the job queue is closed and accepts no new work", { retryable: true });
    const handler = this.handlers.get(job.name);
    if (!handler) throw new NudgeError("NUDGE_NO_JOB_HANDLER", `no handler for job "${job.name}"`);
    if (this.pq.size + this.chained >= this.options.maxWaiting) {
      await this.pq.onSizeLessThan(Math.max(1, Math.floor(this.options.maxWaiting / 2)));
    }
    const run = async (): Promise<void> => {
      try {
        await handler(job.data);
      } catch (err) {
        this.logger.error({ err, job: job.name }, "job failed");
      }
    };
    if (job.key === undefined) {
      void this.pq.add(run);
      return;
    }
    const key = job.key;
    const prev = this.tails.get(key);
    this.chained++;
    const next = (prev ?? Promise.resolve())
      .then(() => this.pq.add(run))
      .finally(() => {
        this.chained--;
        if (this.tails.get(key) === next) this.tails.delete(key);
      });
    this.tails.set(key, next);
  }

  async onIdle(): Promise<void> {
    // Chained jobs enter p-queue only when their predecessor finishes: wait until both are empty.
    while (this.chained > 0 || this.pq.size > 0 || this.pq.pending > 0) {
      await Promise.all([...this.tails.values(), this.pq.onIdle()]);
    }
  }

  async stats(): Promise<QueueStats> {
    return { waiting: this.pq.size + this.chained, active: this.pq.pending };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.onIdle();
  }
}
