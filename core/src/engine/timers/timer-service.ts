import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { Clock } from "../../ports/clock.js";
import type { JobQueue } from "../../ports/job-queue.js";
import type { Logger } from "../../ports/logger.js";
import type { Timer, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";

export const FIRE_TIMER_JOB = "timer.fire";
export type TimerHandler = (timer: Timer) => Promise<void>;

/**
 * Turns due timers into jobs. With a real clock it polls; with a fake clock it runs when the clock
 * moves. A claimed timer is leased: if the worker dies, the lease ends and another worker claims it.
 */
@injectable()
export class TimerService {
  private readonly handlers = new Map<string, TimerHandler>();
  private interval: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private polling: Promise<number> | null = null;
  private stopped = false;

  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  /** Routes timers by their exact kind. */
  handle(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  /** The job handler for FIRE_TIMER_JOB. */
  async fire(data: Record<string, unknown>): Promise<void> {
    const timer = data as unknown as Timer;
    const handler = this.handlers.get(timer.kind);
    if (!handler) {
      this.logger.warn({ kind: timer.kind }, "no handler for timer kind; dropping it");
    } else {
      await handler(timer);
    }
    await this.timers.complete(this.ws, timer.id, timer.dueAt);
  }

  start(): void {
    this.stopped = false;
    if (this.clock.onAdvance) {
      this.unsubscribe = this.clock.onAdvance(() => void this.pollOnce());
    } else {
      this.interval = setInterval(() => void this.pollOnce(), this.options.timerPollMs);
      this.interval.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** Claims what is due and queues it; returns how many. Concurrent calls share one poll. */
  pollOnce(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.polling ??= this.claim().finally(() => (this.polling = null));
    return this.polling;
  }

  private async claim(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const due = await this.timers.claimDue(this.ws, this.clock.now(), 500, this.options.timerLeaseMs);
        for (const t of due) {
          const key = typeof t.payload["profileId"] === "string" ? t.payload["profileId"] : undefined;
          await this.queue.add({ name: FIRE_TIMER_JOB, data: t as unknown as Record<string, unknown>, ...(key ? { key } : {}) });
        }
        total += due.length;
        if (due.length < 500) return total;
      }
    } catch (err) {
      this.logger.error({ err }, "timer poll failed");
      return total;
    }
  }
}
