import { Tokens, type Logger, type PluginContext, type Profile, type TriggerSink, type TriggerSource } from "@nudge/core";
import type { ScheduleConfig } from "./config.js";
import { ALL_ZONES, anyZoneFires, checkCron, isZone, occurrences } from "./occurrences.js";

/** The queue job that runs one tick: ticks of one instance run one at a time, in order. */
export const SCHEDULE_TICK_JOB = "schedule.tick";

interface Scheduled {
  journeyId: string;
  cron: string;
  timezone: string;
  segment: string | undefined;
}

/**
 * Enrols audiences into journeys whose trigger is `{ type: "schedule", cron, timezone, segment? }`.
 * Each tick looks at the occurrences between the previous tick and now; an occurrence enrols each
 * person with a key naming it, so a tick repeated after a restart (or run by two processes) enrols
 * nobody twice. "recipient" schedules fire per person at the cron time of their own zone.
 */
export class ScheduleSource implements TriggerSource {
  readonly id = "trigger-schedule";
  private sink: TriggerSink | null = null;
  private last = 0;
  private unsubscribe: (() => void) | null = null;
  private readonly badCron = new Set<string>();

  constructor(
    private readonly config: ScheduleConfig,
    private readonly ctx: PluginContext,
    private readonly logger: Logger,
  ) {}

  /** Declares the tick job; the queue must know it before it starts. */
  init(): void {
    this.ctx.resolve(Tokens.JobQueue).process(SCHEDULE_TICK_JOB, async () => void (await this.tick()));
  }

  async start(sink: TriggerSink): Promise<void> {
    this.sink = sink;
    const clock = this.ctx.clock;
    this.last = clock.now() - this.config.catchUpMs;
    const request = () => {
      this.ctx
        .resolve(Tokens.JobQueue)
        .add({ name: SCHEDULE_TICK_JOB, data: {}, key: SCHEDULE_TICK_JOB })
        .catch((err: unknown) => this.logger.warn({ err }, "schedule tick not queued"));
    };
    if (clock.onAdvance) {
      this.unsubscribe = clock.onAdvance(request);
    } else {
      const interval = setInterval(request, this.config.pollMs);
      interval.unref();
      this.unsubscribe = () => clearInterval(interval);
    }
    request();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.sink = null;
  }

  /** Enrols everyone due since the last tick; returns how many enrolments were made. */
  async tick(): Promise<number> {
    const sink = this.sink;
    const now = this.ctx.clock.now();
    if (!sink || now <= this.last) return 0;
    const from = this.last;
    this.last = now;
    let enrolled = 0;
    for (const s of await this.scheduled()) enrolled += await this.fire(sink, s, from, now);
    return enrolled;
  }

  private async fire(sink: TriggerSink, s: Scheduled, from: number, to: number): Promise<number> {
    const workspaceZone = this.ctx.timezone;
    let enrolled = 0;
    const enroll = async (profileId: string, at: Date, zone: string) => {
      const key = `${s.journeyId}@${at.toISOString()}`;
      if (await sink.enroll(s.journeyId, profileId, { schedule: { occurrence: at.toISOString(), zone } }, { key })) enrolled++;
    };
    if (s.timezone !== "recipient") {
      const zone = s.timezone === "workspace" ? workspaceZone : s.timezone;
      for (const at of occurrences(s.cron, zone, from, to)) {
        for await (const profileId of this.audienceIds(s.segment)) await enroll(profileId, at, zone);
      }
      return enrolled;
    }
    if (!anyZoneFires(s.cron, [...ALL_ZONES, workspaceZone], from, to)) return 0;
    for await (const profile of this.audience(s.segment)) {
      const zone = isZone(profile.timezone) ? profile.timezone : workspaceZone;
      for (const at of occurrences(s.cron, zone, from, to)) await enroll(profile.id, at, zone);
    }
    return enrolled;
  }

  /** Published journeys with a schedule trigger whose cron croner can read. */
  private async scheduled(): Promise<Scheduled[]> {
    const store = this.ctx.resolve(Tokens.JourneyStore);
    const out: Scheduled[] = [];
    for (const head of await store.listHeads(this.ctx.workspace)) {
      if (head.status !== "published" || head.publishedVersion === null) continue;
      const t = (await store.getVersion(this.ctx.workspace, head.journeyId, head.publishedVersion))?.definition.trigger;
      if (t?.type !== "schedule") continue;
      try {
        checkCron(t.cron);
      } catch (err) {
        if (!this.badCron.has(head.journeyId)) this.logger.error({ err, journeyId: head.journeyId, cron: t.cron }, "journey has an invalid cron expression; skipped");
        this.badCron.add(head.journeyId);
        continue;
      }
      out.push({ journeyId: head.journeyId, cron: t.cron, timezone: t.timezone, segment: t.segment });
    }
    return out;
  }

  private async *audienceIds(segment: string | undefined): AsyncGenerator<string> {
    if (segment === undefined) {
      for await (const p of this.audience(undefined)) yield p.id;
      return;
    }
    const segments = this.ctx.resolve(Tokens.SegmentStore);
    let cursor: string | null = null;
    do {
      const page = await segments.members(this.ctx.workspace, segment, { cursor, limit: this.config.pageSize });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  private async *audience(segment: string | undefined): AsyncGenerator<Profile> {
    const profiles = this.ctx.resolve(Tokens.ProfileStore);
    if (segment !== undefined) {
      for await (const id of this.audienceIds(segment)) {
        const p = await profiles.get(this.ctx.workspace, id);
        if (p) yield p;
      }
      return;
    }
    let cursor: string | null = null;
    do {
      const page = await profiles.list(this.ctx.workspace, { cursor, limit: this.config.pageSize });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }
}
