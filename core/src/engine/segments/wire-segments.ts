import type { Constructor } from "../../container/plugin-context.js";
import type { JobHandler, JobQueue } from "../../ports/job-queue.js";
import { SEGMENT_CHANGED_JOB, EngineTokens } from "../engine-tokens.js";
import { type Token } from "../../tokens.js";
import { PROCESS_EVENT_JOB } from "../ingest/ingest-service.js";
import { TimerService } from "../timers/timer-service.js";
import { AudienceEstimator } from "./audience-estimator.js";
import { SegmentBackfill } from "./segment-backfill.js";
import { SegmentCatalog } from "./segment-catalog.js";
import { SegmentChangeInterest } from "./segment-change-interest.js";
import { SegmentEvaluator } from "./segment-evaluator.js";
import { SEGMENT_BACKFILL_JOB, SEGMENT_EVALUATE_JOB, SEGMENT_NOTICE_TIMER, SEGMENT_RECHECK_TIMER } from "./segment-jobs.js";
import { SegmentService } from "./segment-service.js";
import { SegmentUpdater, traitNames } from "./segment-updater.js";
import { EventInterest } from "../ingest/event-interest.js";

/** The segment engine's services, built once per instance. */
export const SEGMENT_SERVICES: Constructor<unknown>[] = [SegmentChangeInterest, SegmentCatalog, SegmentEvaluator, SegmentUpdater, SegmentBackfill, AudienceEstimator, SegmentService];

type Resolve = <T>(t: Token<T> | Constructor<T>) => T;

/**
 * Registers the segment jobs, timer and hooks, and returns the queue the rest of the engine should
 * register its handlers on: through it, the handler of an accepted event (PROCESS_EVENT_JOB) runs
 * after segment evaluation, in the same job. Segments therefore change before journeys look at the
 * event, and a crash before the event is marked processed replays both. The handler of a segment
 * change (SEGMENT_CHANGED_JOB) is followed by the cancelling of that change's notice timer.
 */
export function wireSegments(queue: JobQueue, resolve: Resolve): JobQueue {
  const updater = resolve(SegmentUpdater);
  const afterSegments = (handler: JobHandler): JobHandler => async (data) => {
    await updater.onEvent(data);
    await handler(data);
  };
  // A segment change's handler (journeys) ran: the change's notice timer is no longer needed.
  const thenNoticeDone = (handler: JobHandler): JobHandler => async (data) => {
    await handler(data);
    await updater.noticeDone(data);
  };
  const backfill = resolve(SegmentBackfill);
  queue.process(SEGMENT_EVALUATE_JOB, (data) => updater.onJob(data));
  queue.process(SEGMENT_BACKFILL_JOB, (data) => backfill.onJob(data));
  resolve(TimerService).handle(SEGMENT_RECHECK_TIMER, (t) => updater.onRecheck(t));
  resolve(TimerService).handle(SEGMENT_NOTICE_TIMER, (t) => updater.onNotice(t));
  updater.listen(resolve(EngineTokens.Hooks));
  const catalog = resolve(SegmentCatalog);
  // The same test the event job makes (SegmentUpdater.onEvent): no segment could change, no job needed.
  resolve(EventInterest).register(async (e) => {
    const index = await catalog.index();
    if (index.size === 0) return false;
    return e.created || index.forEvent(e.name, e.type === "identify" ? traitNames(e.properties) : []).length > 0;
  });
  return {
    process: (name, handler) =>
      queue.process(name, name === PROCESS_EVENT_JOB ? afterSegments(handler) : name === SEGMENT_CHANGED_JOB ? thenNoticeDone(handler) : handler),
    start: () => queue.start(),
    add: (job) => queue.add(job),
    onIdle: () => queue.onIdle(),
    stats: () => queue.stats(),
    close: () => queue.close(),
  };
}
