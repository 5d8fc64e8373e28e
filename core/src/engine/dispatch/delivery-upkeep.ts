import { inject, injectable } from "tsyringe";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { Delivery, Message } from "../../domain/message.js";
import type { MessageStore, Page, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken, EngineTokens } from "../engine-tokens.js";
import type { Hooks } from "../hooks.js";
import type { NudgeOptionsResolved } from "../options.js";
import { DeliveryReports } from "./delivery-reports.js";
import { MessageRecovery } from "./message-recovery.js";

export const UPKEEP_TIMER = "dispatch.upkeep";
const TIMER_ID = "dispatch-upkeep";

export interface UpkeepReport {
  /** Messages a crash left in "sending", now recorded as failed. */
  settled: number;
  /** Provider polls made, and how many brought news. */
  polled: number;
  reported: number;
}

/**
 * Keeps the message log truthful between webhooks and restarts, on a durable timer (one run per
 * period, whichever process claims it): a message left in "sending" by a crash is settled once its lease
 * is over, and a sent message whose provider never reported is polled on channels that can be asked,
 * at growing intervals (5 min, 15 min, 45 min ... by default), until it is too old to matter.
 */
@injectable()
export class DeliveryUpkeep {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(MessageRecovery) private readonly recovery: MessageRecovery,
    @inject(DeliveryReports) private readonly reports: DeliveryReports,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  private get settings() {
    return this.options.dispatch.upkeep;
  }

  /**
   * Upkeep starts with this instance's first message: an instance that sends nothing (a fresh database
   * being prepared, an ingest-only process) stores no timer. A timer stored before a restart fires anyway.
   */
  listen(hooks: Hooks): void {
    const off = hooks.on("message.updated", () => {
      off();
      this.schedule().catch((err: unknown) => this.logger.error({ err }, "could not schedule message log upkeep"));
    });
  }

  /** The next run stays where it was, or is due one period from now. */
  async schedule(): Promise<void> {
    const existing = await this.timers.get(this.ws, TIMER_ID);
    if (existing && existing.dueAt <= this.clock.now() + this.settings.everyMs) return;
    await this.next();
  }

  /** The timer handler: runs, then schedules the next run. */
  async onTimer(): Promise<void> {
    try {
      await this.run();
    } finally {
      await this.next();
    }
  }

  async run(): Promise<UpkeepReport> {
    const report: UpkeepReport = { settled: 0, polled: 0, reported: 0 };
    // Sending lasts a provider round trip: the few in that state now are in flight, or were left by a crash.
    const sending = await this.messages.list(this.ws, { status: "sending", limit: this.settings.batch });
    for (const m of sending.items) if (await this.recovery.settleInterrupted(m)) report.settled++;
    await this.poll(report);
    if (report.settled > 0 || report.polled > 0) this.logger.info({ ...report }, "message log upkeep");
    return report;
  }

  /**
   * Polls the sent messages whose send time crossed a poll mark since the previous run. Each mark is one
   * query for the sends in its window (the store's index on send time), so a run reads what is due and
   * nothing else, however many messages were sent since. The newest marks go first: they are the likeliest
   * to bring news. At most `batch` polls a run; what is left is logged.
   */
  private async poll(report: UpkeepReport): Promise<void> {
    const now = this.clock.now();
    const pollable = new Set(this.channels.ids().filter((id) => typeof this.channels.get(id)?.poll === "function"));
    if (pollable.size === 0) return;
    const { batch } = this.settings;
    let skipped = 0;
    for (const mark of this.marks()) {
      // Ages in [mark, mark + everyMs) crossed this mark since the last run: sends in (now - mark - everyMs, now - mark].
      // The window is read a millisecond wider each side and each message is checked exactly below.
      const window = { sentFrom: now - mark - this.settings.everyMs, sentBefore: now - mark + 1 };
      let cursor: string | null = null;
      do {
        const page: Page<Message> = await this.messages.list(this.ws, { status: "sent", ...window, limit: batch, cursor });
        for (const m of page.items) {
          const attempt = lastSent(m);
          if (!attempt || !pollable.has(attempt.channel) || !this.dueForPoll(now - attempt.at)) continue;
          if (report.polled >= batch) {
            skipped++;
            continue;
          }
          report.polled++;
          try {
            const news = await this.channels.get(attempt.channel)!.poll!({ provider: attempt.provider, providerMessageId: attempt.providerMessageId, messageType: attempt.messageType });
            if (news && news.status !== "sent" && (await this.reports.apply(news, attempt.channel))) report.reported++;
          } catch (err) {
            // A provider that cannot answer now is asked again at the next mark; nothing else depends on it.
            this.logger.warn({ err, channel: attempt.channel, messageId: m.id }, "delivery poll failed");
          }
        }
        cursor = page.nextCursor;
      } while (cursor !== null);
    }
    if (skipped > 0) {
      this.logger.warn({ skipped, batch }, "delivery polls due this run exceed dispatch.upkeep.batch; the rest wait for their next mark");
    }
  }

  /** The poll marks, newest first: firstPollMs, then times pollFactor each, up to pollForMs. */
  private marks(): number[] {
    const { firstPollMs, pollFactor, pollForMs } = this.settings;
    const out: number[] = [];
    for (let mark = firstPollMs; mark <= pollForMs; mark *= pollFactor) out.push(mark);
    return out;
  }

  /**
   * Whether a message of this age crossed a poll mark since the previous run: marks at firstPollMs,
   * then times pollFactor each, up to pollForMs. Kept without state: each mark falls in exactly one run.
   */
  private dueForPoll(age: number): boolean {
    const { everyMs } = this.settings;
    for (const mark of this.marks()) {
      if (age >= mark && age - everyMs < mark) return true;
      if (mark > age) return false;
    }
    return false;
  }

  private async next(): Promise<void> {
    await this.timers.schedule({ workspaceId: this.ws, id: TIMER_ID, dueAt: this.clock.now() + this.settings.everyMs, kind: UPKEEP_TIMER, payload: {} });
  }
}

/** The message's last accepted send that a provider can be asked about. */
function lastSent(m: Message): (Delivery & { providerMessageId: string }) | undefined {
  for (let i = m.attempts.length - 1; i >= 0; i--) {
    const a = m.attempts[i]!;
    if (a.status === "sent" && a.providerMessageId !== undefined) return a as Delivery & { providerMessageId: string };
  }
  return undefined;
}
