import { inject, injectable } from "tsyringe";
import { z } from "zod";
import type { JobQueue } from "../../ports/job-queue.js";
import type { Logger } from "../../ports/logger.js";
import type { SegmentStore, Timer, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { SEGMENT_CHANGED_JOB, type SegmentChange, EngineTokens } from "../engine-tokens.js";
import type { Hooks } from "../hooks.js";
import { SegmentChangeInterest } from "./segment-change-interest.js";
import { SEGMENT_NOTICE_GRACE_MS, SEGMENT_NOTICE_TIMER } from "./segment-jobs.js";

/**
 * Entering and leaving segments, announced: the change's job for journeys (SEGMENT_CHANGED_JOB), the
 * hooks, and the notice timer that re-announces a change whose job a crash lost.
 */
@injectable()
export class SegmentChanges {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.SegmentStore) private readonly segments: SegmentStore,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(EngineTokens.Hooks) private readonly hooks: Hooks,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(SegmentChangeInterest) private readonly interest: SegmentChangeInterest,
  ) {}

  /** Queues the change for journeys (when a notice was held) and tells hook listeners. */
  async emit(change: SegmentChange, notice: string | null): Promise<void> {
    const { segmentId, profileId, at } = change;
    if (notice !== null) await this.queue.add({ name: SEGMENT_CHANGED_JOB, data: { ...change, notice }, key: profileId });
    this.hooks.emit(change.change === "entered" ? "segment.entered" : "segment.exited", { workspace: this.ws, segmentId, profileId, at });
  }

  /**
   * Holds a notice timer for a change journeys react to, before the membership is written: a crash
   * between that write and the change's job still tells journeys. Null when no journey reacts to it.
   */
  async hold(change: SegmentChange): Promise<string | null> {
    if (!(await this.interest.wants(change.segmentId, change.change))) return null;
    return this.holdNotice(change);
  }

  /** A held notice whose change did not happen after all. */
  async drop(notice: string | null): Promise<void> {
    if (notice !== null) await this.timers.cancel(this.ws, notice);
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
