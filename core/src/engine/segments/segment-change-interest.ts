import { injectable } from "tsyringe";
import { Interest } from "../interest.js";
import type { SegmentChange } from "../engine-tokens.js";

/**
 * Tells the segment engine whether a membership change needs its job (and the durable notice that
 * backs the job). Journeys register their segment triggers here; a change nobody reacts to is written
 * and announced through the hooks only, so evaluating a segment for a million people queues nothing.
 * Per instance.
 */
@injectable()
export class SegmentChangeInterest extends Interest<[segmentId: string, change: SegmentChange["change"]]> {}
