import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import { DateTime, Duration } from "luxon";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { EventStore, MessageStore, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";

export const RETENTION_TIMER = "retention.run";
const TIMER_ID = "retention";

export interface RetentionReport {
  eventsDeleted: number;
  messagesRedacted: number;
  messagesDeleted: number;
}

/**
 * Deletes what has outlived its retention age, on a durable timer: the schedule lives in the TimerStore,
 * so a restart neither skips a run nor pushes it back, and with several processes one of them runs it.
 */
@injectable()
export class RetentionService {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.EventStore) private readonly events: EventStore,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  private get settings() {
    return this.options.retention;
  }

  get enabled(): boolean {
    const s = this.settings;
    return s.events !== undefined || s.messageContent !== undefined || s.messages !== undefined;
  }

  /** At start: the first run is due now unless one is already scheduled; nothing configured, no timer. */
  async schedule(): Promise<void> {
    if (!this.enabled) {
      await this.timers.cancel(this.ws, TIMER_ID);
      return;
    }
    const now = this.clock.now();
    const existing = await this.timers.get(this.ws, TIMER_ID);
    // Kept when due within one period: restarting often must not postpone retention forever.
    if (existing && existing.dueAt <= now + this.periodMs()) return;
    await this.timers.schedule({ workspaceId: this.ws, id: TIMER_ID, dueAt: now, kind: RETENTION_TIMER, payload: {} });
  }

  /** The timer handler: runs, then schedules the next run one period from now. */
  async onTimer(): Promise<void> {
    await this.run();
    if (this.enabled) {
      await this.timers.schedule({ workspaceId: this.ws, id: TIMER_ID, dueAt: this.clock.now() + this.periodMs(), kind: RETENTION_TIMER, payload: {} });
    }
  }

  /** Applies every configured age once. */
  async run(): Promise<RetentionReport> {
    const s = this.settings;
    const report: RetentionReport = { eventsDeleted: 0, messagesRedacted: 0, messagesDeleted: 0 };
    if (s.events !== undefined) report.eventsDeleted = await this.events.deleteOlderThan(this.ws, this.cutoff(s.events));
    if (s.messageContent !== undefined) report.messagesRedacted = await this.messages.redactOlderThan(this.ws, this.cutoff(s.messageContent));
    if (s.messages !== undefined) report.messagesDeleted = await this.messages.deleteOlderThan(this.ws, this.cutoff(s.messages));
    this.logger.info({ ...report }, "retention applied");
    return report;
  }

  /** Calendar arithmetic in UTC, so P1M means a month back, not 30 days. */
  private cutoff(age: string): number {
    return DateTime.fromMillis(this.clock.now(), { zone: "utc" }).minus(Duration.fromISO(age)).toMillis();
  }

  private periodMs(): number {
    return Duration.fromISO(this.settings.every).toMillis();
  }
}
