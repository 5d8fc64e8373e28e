import type { Constructor } from "../../container/plugin-context.js";
import type { JobQueue } from "../../ports/job-queue.js";
import { EngineTokens } from "../engine-tokens.js";
import { type Token } from "../../tokens.js";
import { TimerService } from "../timers/timer-service.js";
import { AudienceEstimator } from "./audience-estimator.js";
import { SegmentBackfill } from "./segment-backfill.js";
import { SegmentCatalog } from "./segment-catalog.js";
import { SegmentChangeInterest } from "./segment-change-interest.js";
import { SegmentEvaluator } from "./segment-evaluator.js";
import { SEGMENT_BACKFILL_JOB, SEGMENT_EVALUATE_JOB, SEGMENT_NOTICE_TIMER, SEGMENT_RECHECK_TIMER } from "./segment-jobs.js";
import { SegmentService } from "./segment-service.js";
import { SegmentUpdater, traitNames } from "./segment-updater.js";
import { SegmentChanges } from "./segment-changes.js";
import { SegmentReads } from "./segment-reads.js";
import { SegmentRequests } from "./segment-requests.js";
import { EventInterest } from "../ingest/event-interest.js";

/** The segment engine's services, built once per instance. */
export const SEGMENT_SERVICES: Constructor<unknown>[] = [
  SegmentChangeInterest,
  SegmentCatalog,
  SegmentEvaluator,
  SegmentReads,
  SegmentChanges,
  SegmentUpdater,
  SegmentRequests,
  SegmentBackfill,
  AudienceEstimator,
  SegmentService,
];

type Resolve = <T>(t: Token<T> | Constructor<T>) => T;

/**
 * Registers the segment engine's own jobs, timers and hooks. Accepted events and segment changes are
 * routed by the EventPipeline (segments, then journeys).
 */
export function wireSegments(queue: JobQueue, resolve: Resolve): void {
  const requests = resolve(SegmentRequests);
  const changes = resolve(SegmentChanges);
  const backfill = resolve(SegmentBackfill);
  queue.process(SEGMENT_EVALUATE_JOB, (data) => requests.onJob(data));
  queue.process(SEGMENT_BACKFILL_JOB, (data) => backfill.onJob(data));
  resolve(TimerService).handle(SEGMENT_RECHECK_TIMER, (t) => requests.onRecheck(t));
  resolve(TimerService).handle(SEGMENT_NOTICE_TIMER, (t) => changes.onNotice(t));
  requests.listen(resolve(EngineTokens.Hooks));
  const catalog = resolve(SegmentCatalog);
  // The same test the event job makes (SegmentRequests.onEvent): no segment could change, no job needed.
  resolve(EventInterest).register(async (e) => {
    const index = await catalog.index();
    if (index.size === 0) return false;
    return e.created || index.forEvent(e.name, e.type === "identify" ? traitNames(e.properties) : []).length > 0;
  });
}
