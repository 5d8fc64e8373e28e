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
  /** Keyed jobs waiting for their key's previous job, not yet handed to p-queue. */
  private chained = 0;
  /** The last add waiting for room; later adds wait behind it so they enqueue in call order. */
  private admission: Promise<void> | null = null;
  /** Adds waiting for room: each lends its slot to p-queue while it waits (see add). */
  private lent = 0;
  /** close() was called: once nothing waits or runs, the queue takes no more jobs (see add). */
  private closing = false;
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
    // While closing, jobs still run, and a running job may add its follow-up (a journey's next step, a backfill's
    // next page): refusing it would lose work already accepted, since nothing of this queue outlives the process.
    // So adds are taken until nothing waits or runs; only then is the queue closed.
    if (this.closed || (this.closing && this.idle())) {
      throw new NudgeError("NUDGE_STOPPED", "the job queue is closed and accepts no new work", { retryable: true });
    }
    const handler = this.handlers.get(job.name);
    if (!handler) throw new NudgeError("NUDGE_NO_JOB_HANDLER", `no handler for job "${job.name}"`);
    if (this.admission === null && this.waiting() < this.options.maxWaiting) return this.enqueue(job, handler);
    // Full, or earlier adds already wait for room: wait behind them and enqueue in call order. Letting a later add
    // through as soon as there is some room would chain it before an earlier add of the same key.
    const turn = (this.admission ?? Promise.resolve()).then(async () => {
      await this.room();
      this.enqueue(job, handler);
    });
    this.admission = turn;
    // The caller may be a running job adding a follow-up (segment evaluation does). If every running job waited
    // here, none would finish and room would never come: the queue would stall for good. So while an add waits,
    // it lends its slot, and one more waiting job may start. Without async context (costly on Node 20) the queue
    // cannot tell a job's add from an API caller's, so every waiting add lends: under back-pressure up to
    // `concurrency` + (adds waiting) jobs run at once, and callers still wait until there is room.
    this.lend(1);
    try {
      await turn;
    } finally {
      this.lend(-1);
      if (this.admission === turn) this.admission = null;
    }
  }

  private lend(n: 1 | -1): void {
    this.lent += n;
    this.pq.concurrency = this.options.concurrency + this.lent;
  }

  /** Jobs not yet running: in p-queue, or chained behind their key's running job. */
  private waiting(): number {
    return this.pq.size + this.chained;
  }

  /**
   * Waits until fewer than half of maxWaiting jobs wait in p-queue. Jobs chained behind their key's running job
   * are left out on purpose: a running job that adds a follow-up of its own key (segment evaluation does)
   * would otherwise wait for its own key's chain to shrink, which only it can make happen, and the queue would
   * stall for good. So one key's chain is bounded by its callers (ingest waits for storage), not here; see
   * docs/queues.md.
   */
  private async room(): Promise<void> {
    const below = Math.max(1, Math.floor(this.options.maxWaiting / 2));
    while (this.pq.size >= below) await new Promise<void>((resolve) => this.pq.once("active", () => resolve()));
  }

  private enqueue(job: Job, handler: JobHandler): void {
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
      .then(() => {
        // Handed to p-queue, the job is counted there (waiting, then running): counting it here too made stats
        // report a key's running job as waiting as well.
        this.chained--;
        return this.pq.add(run);
      })
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      });
    this.tails.set(key, next);
  }

  private idle(): boolean {
    return this.chained === 0 && this.pq.size === 0 && this.pq.pending === 0 && this.admission === null;
  }

  async onIdle(): Promise<void> {
    // Chained jobs enter p-queue only when their predecessor finishes: wait until both are empty.
    while (this.chained > 0 || this.pq.size > 0 || this.pq.pending > 0) {
      await Promise.all([...this.tails.values(), this.pq.onIdle()]);
    }
  }

  async stats(): Promise<QueueStats> {
    return { waiting: this.waiting(), active: this.pq.pending };
  }

  async close(): Promise<void> {
    this.closing = true;
    // Follow-ups added by running jobs meanwhile are run too (see add): waits until none is left.
    await this.onIdle();
    this.closed = true;
  }
}
