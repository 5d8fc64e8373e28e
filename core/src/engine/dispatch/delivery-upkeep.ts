import { inject, injectable } from "tsyringe";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { MessageStore, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken } from "../engine-tokens.js";
import type { Hooks } from "../hooks.js";
import type { NudgeOptionsResolved } from "../options.js";
import { DeliveryReports } from "./delivery-reports.js";
import { Dispatcher } from "./dispatcher.js";

export const UPKEEP_TIMER = "dispatch.upkeep";
const TIMER_ID = "dispatch-upkeep";
/** Pages of sent messages one run may read looking for ones due a poll. */
const SCAN_PAGES = 20;

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
    @inject(Tokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(Dispatcher) private readonly dispatcher: Dispatcher,
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
    for (const m of sending.items) if (await this.dispatcher.settleInterrupted(m)) report.settled++;
    await this.poll(report);
    if (report.settled > 0 || report.polled > 0) this.logger.info({ ...report }, "message log upkeep");
    return report;
  }

  private async poll(report: UpkeepReport): Promise<void> {
    const now = this.clock.now();
    const pollable = new Set(this.channels.ids().filter((id) => typeof this.channels.get(id)?.poll === "function"));
    if (pollable.size === 0) return;
    const { batch, pollForMs, everyMs } = this.settings;
    // Newest first, page by page, until messages are too old to poll or this run's polls are spent.
    let cursor: string | null = null;
    for (let scanned = 0; scanned < batch * SCAN_PAGES; ) {
      const page = await this.messages.list(this.ws, { status: "sent", limit: batch, cursor });
      for (const m of page.items) {
        if (now - m.createdAt > pollForMs + everyMs) return;
        const attempt = [...m.attempts].reverse().find((a) => a.status === "sent" && a.providerMessageId !== undefined);
        if (!attempt || !pollable.has(attempt.channel) || !this.dueForPoll(now - attempt.at)) continue;
        if (report.polled >= batch) return;
        report.polled++;
        try {
          const news = await this.channels.get(attempt.channel)!.poll!(attempt.providerMessageId!, attempt.messageType);
          if (news && news.status !== "sent" && (await this.reports.apply(news, attempt.channel))) report.reported++;
        } catch (err) {
          // A provider that cannot answer now is asked again at the next mark; nothing else depends on it.
          this.logger.warn({ err, channel: attempt.channel, messageId: m.id }, "delivery poll failed");
        }
      }
      scanned += page.items.length;
      if (page.nextCursor === null) return;
      cursor = page.nextCursor;
    }
  }

  /**
   * Whether a message of this age crossed a poll mark since the previous run: marks at firstPollMs,
   * then times pollFactor each, up to pollForMs. Kept without state: each mark falls in exactly one run.
   */
  private dueForPoll(age: number): boolean {
    const { firstPollMs, pollFactor, pollForMs, everyMs } = this.settings;
    for (let mark = firstPollMs; mark <= pollForMs; mark *= pollFactor) {
      if (age >= mark && age - everyMs < mark) return true;
      if (mark > age) return false;
    }
    return false;
  }

  private async next(): Promise<void> {
    await this.timers.schedule({ workspaceId: this.ws, id: TIMER_ID, dueAt: this.clock.now() + this.settings.everyMs, kind: UPKEEP_TIMER, payload: {} });
  }
}
