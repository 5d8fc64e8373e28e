/**
 * Work the segment engine queues for itself. Jobs are keyed by profile id, so one person's
 * evaluations run one at a time and in order with their events.
 */

/** Re-evaluate one person: data `{ profileId, all?: boolean, causes?: ("received" | "converted")[] }`. */
export const SEGMENT_EVALUATE_JOB = "segment.evaluate";
/** One page of a from-scratch evaluation: data `{ segmentIds: string[], cursor: string | null }`. */
export const SEGMENT_BACKFILL_JOB = "segment.backfill";
/** Timer kind: a time-based condition of (segment, person) may flip now. Payload `{ segmentId, profileId }`. */
export const SEGMENT_RECHECK_TIMER = "segment.recheck";

export interface EvaluateJob {
  profileId: string;
  /** Every segment (after an identity merge); otherwise the ones `causes` can change. */
  all?: boolean;
  causes?: Array<"received" | "converted">;
}

/**
 * A segment change's notice, written before the membership and cancelled once the change's job ran: a
 * crash in between leaves it to fire and queue the change again (journeys enrol once per change).
 */
export const SEGMENT_NOTICE_TIMER = "segment.notice";
/** How long a change's job has to run before its notice fires. */
export const SEGMENT_NOTICE_GRACE_MS = 60_000;
