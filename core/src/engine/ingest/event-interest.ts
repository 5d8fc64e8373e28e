import { injectable } from "tsyringe";
import type { NudgeEvent } from "../../domain/event.js";
import { Interest } from "../interest.js";

/** What is known of an event when it is accepted: enough to tell whether anything will react to it. */
export interface IncomingEvent {
  type: NudgeEvent["type"];
  name: string;
  properties: Record<string, unknown>;
  /** Its person was created by this call. */
  created: boolean;
}

/**
 * Tells ingest whether an accepted event needs processing. Most tracked events (page views, clicks)
 * start no journey and change no segment: those are stored already processed, and no job, no second
 * read and no second write is spent on them. The parts of the engine that process events register
 * what they react to; the answer is as fresh as the caches they answer from, which are the very ones
 * processing would have read. Per instance.
 */
@injectable()
export class EventInterest extends Interest<[event: IncomingEvent]> {}
