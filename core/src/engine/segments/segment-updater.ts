import { inject, injectable } from "tsyringe";
import { z } from "zod";
import type { Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { JobQueue } from "../../ports/job-queue.js";
import type { Logger } from "../../ports/logger.js";
import type { EnrollmentStore, EventStore, MessageStore, ProfileStore, SegmentStore, Timer, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { SEGMENT_CHANGED_JOB, type SegmentChange, EngineTokens } from "../engine-tokens.js";
import type { Hooks } from "../hooks.js";
import { EvaluationContext, type SegmentStores } from "./evaluation-context.js";
import { SegmentCatalog } from "./segment-catalog.js";
import { SegmentChangeInterest } from "./segment-change-interest.js";
import { SegmentEvaluator } from "./segment-evaluator.js";
import { SEGMENT_EVALUATE_JOB, SEGMENT_NOTICE_GRACE_MS, SEGMENT_NOTICE_TIMER, SEGMENT_RECHECK_TIMER, type EvaluateJob } from "./segment-jobs.js";

const EvaluateJobData = z.object({
  profileId: z.string().min(1),
  all: z.boolean().optional(),
  causes: z.array(z.enum(["received", "converted"])).optional(),
});

/**
 * Keeps segment membership current, one person at a time: re-evaluates only the segments a change can
 * affect (then those referring to a segment that changed), writes membership, and for each change
 * queues SEGMENT_CHANGED_JOB and emits the hook — once, because SegmentStore.setMember reports a change
 * only to the writer that made it. A condition that can flip with time gets a timer for that instant.
 */
@injectable()
export class SegmentUpdater {
  private readonly stores: SegmentStores;

  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) profiles: ProfileStore,
    @inject(Tokens.EventStore) private readonly events: EventStore,
    @inject(Tokens.MessageStore) messages: MessageStore,
    @inject(Tokens.EnrollmentStore) enrollments: EnrollmentStore,
    @inject(Tokens.SegmentStore) private readonly segments: SegmentStore,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(EngineTokens.Hooks) private readonly hooks: Hooks,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(SegmentCatalog) private readonly catalog: SegmentCatalog,
    @inject(SegmentEvaluator) private readonly evaluator: SegmentEvaluator,
    @inject(SegmentChangeInterest) private readonly interest: SegmentChangeInterest,
  ) {
    this.stores = { ws, profiles, events, messages, enrollments, segments };
  }

  /**
   * The segment stage of processing an accepted event (before journeys see it; a replay repeats both).
   * A track job carries the event's name and person, so an event no segment names costs no read.
   */
  async onEvent(job: Record<string, unknown>): Promise<void> {
    const index = await this.catalog.index();
    if (index.size === 0) return;
    const { profileId, event: name, type } = job;
    if (job["created"] === true && typeof profileId === "string") {
      await this.evaluate(profileId, index.ids);
      return;
    }
    if (type === "track" && typeof name === "string" && typeof profileId === "string") {
      const ids = index.forEvent(name);
      if (ids.length > 0) await this.evaluate(profileId, ids, undefined, name);
      return;
    }
    const event = await this.events.getByMessageId(this.ws, String(job["messageId"]));
    if (!event || event.processedAt !== null) return;
    const traits = event.type === "identify" ? traitNames(event.properties) : [];
    const ids = index.forEvent(event.name, traits);
    if (ids.length > 0) await this.evaluate(event.profileId, ids);
  }

  /** SEGMENT_EVALUATE_JOB. */
  async onJob(data: Record<string, unknown>): Promise<void> {
    const job = EvaluateJobData.parse(data);
    const index = await this.catalog.index();
    const ids = job.all ? index.ids : (job.causes ?? []).flatMap((c) => index.forCause(c));
    if (ids.length > 0) await this.evaluate(job.profileId, ids);
  }

  /** SEGMENT_RECHECK_TIMER: a time-based condition of one segment may have flipped. */
  async onRecheck(timer: Timer): Promise<void> {
    const { segmentId, profileId } = timer.payload;
    if (typeof segmentId === "string" && typeof profileId === "string") await this.evaluate(profileId, [segmentId]);
  }

  /** Queues a re-evaluation of one person, unless no segment could care. */
  async request(profileId: string, job: Omit<EvaluateJob, "profileId">): Promise<void> {
    const index = await this.catalog.index();
    if (index.size === 0) return;
    if (!job.all && !(job.causes ?? []).some((c) => index.forCause(c).length > 0)) return;
    await this.queue.add({ name: SEGMENT_EVALUATE_JOB, data: { profileId, ...job }, key: profileId });
  }

  /** Engagement that is not an event: a message sent or delivered, a journey conversion. */
  listen(hooks: Hooks): void {
    const request = (profileId: string, cause: "received" | "converted") =>
      void this.request(profileId, { causes: [cause] }).catch((err: unknown) => this.logger.warn({ err, cause }, "segment re-evaluation not queued"));
    hooks.on("message.updated", (m) => {
      if (m.status !== "sent" && m.status !== "delivered") return;
      // Every send lands here: when the cached index already says no segment reads "received", stop
      // synchronously instead of starting request()'s promise chain to learn the same.
      const index = this.catalog.peek();
      if (index !== null && index.forCause("received").length === 0) return;
      request(m.profileId, "received");
    });
    hooks.on("enrollment.updated", (e) => {
      if (e.convertedAt !== null) request(e.profileId, "converted");
    });
  }

  /**
   * Evaluates `seeds` (and, on a change, the segments that refer to it) for one person. `profile` may be
   * passed when already read. Returns how many memberships changed.
   *
   * With `event` (a track event just stored), seeds the event moves in one direction only (see
   * Polarity) are cheaper: one it can only push further the way it already is (a member of "bought
   * twice", a non-member of "did not log in") is not evaluated at all; one whose result does not change
   * keeps its timer. In both cases one more event can only delay the flip, so the timer set at the last
   * evaluation still fires no later than the flip, and its re-evaluation sets the next one.
   */
  async evaluate(profileId: string, seeds: Iterable<string>, profile?: Profile | null, event?: string): Promise<number> {
    const index = await this.catalog.index();
    const dirty = new Set(seeds);
    const now = this.clock.now();
    const ctx = new EvaluationContext(this.stores, profileId, now, profile, index.hints);
    // One read of the person's memberships: only a differing result is written (setMember still
    // arbitrates, so a change is reported once even when two writers race).
    const current = new Set(await this.segments.segmentsOf(this.ws, profileId));
    let changes = 0;
    const monotone = new Set<string>();
    if (event !== undefined) {
      for (const id of dirty) {
        const polarity = index.polarity(id, event);
        if (polarity === "up" || polarity === "down") monotone.add(id);
        if ((polarity === "up" && current.has(id)) || (polarity === "down" && !current.has(id))) dirty.delete(id);
        else if (polarity === "band" && !current.has(id)) {
          const timer = await this.timers.get(this.ws, recheckId(id, profileId));
          if (timer && timer.dueAt > now) dirty.delete(id);
        }
      }
    }
    for (const def of index.ordered) {
      if (!dirty.has(def.id)) continue;
      const verdict = await this.evaluator.evaluate(def.condition, ctx);
      ctx.decided.set(def.id, verdict.value);
      const changed = verdict.value !== current.has(def.id);
      // The timer first: a crash before the membership write still leaves a re-check behind.
      if (verdict.nextCheck !== null && (changed || !monotone.has(def.id))) await this.recheckAt(def.id, profileId, verdict.nextCheck, !changed);
      if (!changed) continue;
      const change: SegmentChange = { segmentId: def.id, profileId, change: verdict.value ? "entered" : "exited", at: now };
      // The notice first: a crash between the membership write and the change's job still tells journeys.
      // A change no journey reacts to needs neither.
      const notice = (await this.interest.wants(def.id, change.change)) ? await this.holdNotice(change) : null;
      if (!(await this.segments.setMember(this.ws, def.id, profileId, verdict.value, now))) {
        if (notice !== null) await this.timers.cancel(this.ws, notice);
        continue;
      }
      // A deleted (erased, merged-away) person joins nothing, whatever job or timer was still pending.
      // Checked on a change only: changes are rare next to evaluations.
      if (!(await ctx.profile())) {
        await this.segments.setMember(this.ws, def.id, profileId, false, now);
        if (notice !== null) await this.timers.cancel(this.ws, notice);
        return changes;
      }
      changes++;
      for (const d of index.dependentsOf(def.id)) dirty.add(d);
      await this.emit(change, notice);
    }
    return changes;
  }

  /**
   * One timer per (segment, person), at the instant the condition can next flip, replacing the one set
   * by the previous evaluation: a full evaluation knows every flip ahead. A timer firing now is
   * replaced too (TimerStore.complete then keeps the new schedule).
   */
  private async recheckAt(segmentId: string, profileId: string, at: number, unchanged: boolean): Promise<void> {
    const id = recheckId(segmentId, profileId);
    // A result that did not change often keeps its flip instant (a sum's oldest event): a read is cheaper.
    if (unchanged && (await this.timers.get(this.ws, id))?.dueAt === at) return;
    await this.timers.schedule({ workspaceId: this.ws, id, dueAt: at, kind: SEGMENT_RECHECK_TIMER, payload: { segmentId, profileId } });
  }

  private async emit(change: SegmentChange, notice: string | null): Promise<void> {
    const { segmentId, profileId, at } = change;
    if (notice !== null) await this.queue.add({ name: SEGMENT_CHANGED_JOB, data: { ...change, notice }, key: profileId });
    this.hooks.emit(change.change === "entered" ? "segment.entered" : "segment.exited", { workspace: this.ws, segmentId, profileId, at });
  }

  private async holdNotice(change: SegmentChange): Promise<string> {
    const id = `${SEGMENT_NOTICE_TIMER}:${change.segmentId}:${change.profileId}:${change.at}`;
    await this.timers.schedule({ workspaceId: this.ws, id, dueAt: change.at + SEGMENT_NOTICE_GRACE_MS, kind: SEGMENT_NOTICE_TIMER, payload: { ...change } });
    return id;
  }

  /** The change's job ran: its notice is no longer needed. */
  async noticeDone(data: Record<string, unknown>): Promise<void> {
    if (typeof data["notice"] === "string") await this.timers.cancel(this.ws, data["notice"]);
  }

  /**
   * SEGMENT_NOTICE_TIMER: a change whose job never ran (the process died in between). If the membership
   * it announces was written and still stands, the change is queued again; journeys key their enrolment
   * by the change, so a change delivered twice enrols once.
   */
  async onNotice(timer: Timer): Promise<void> {
    const change = SegmentChangeData.safeParse(timer.payload);
    if (!change.success) return;
    const { segmentId, profileId } = change.data;
    const member = (await this.segments.segmentsOf(this.ws, profileId)).includes(segmentId);
    if (member !== (change.data.change === "entered")) return;
    this.logger.info({ segmentId, change: change.data.change }, "segment change re-announced after an interrupted run");
    await this.queue.add({ name: SEGMENT_CHANGED_JOB, data: { ...change.data }, key: profileId });
  }
}

const SegmentChangeData = z.object({
  segmentId: z.string(),
  profileId: z.string(),
  change: z.enum(["entered", "exited"]),
  at: z.number(),
});

const recheckId = (segmentId: string, profileId: string) => `${SEGMENT_RECHECK_TIMER}:${segmentId}:${profileId}`;

/** The trait names an identify event sets (traits and set-once traits). */
/** The trait names an identify event sets. */
export function traitNames(properties: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const key of ["traits", "traitsOnce"]) {
    const t = properties[key];
    if (t && typeof t === "object") names.push(...Object.keys(t));
  }
  return names;
}
