import { injectable } from "tsyringe";
import type { SegmentChange } from "../engine-tokens.js";

/** Whether something (a journey's segment trigger) reacts to people entering or leaving a segment. */
export type SegmentChangeTest = (segmentId: string, change: SegmentChange["change"]) => boolean | Promise<boolean>;

/**
 * Tells the segment engine whether a membership change needs its job (and the durable notice that
 * backs the job). Journeys register their segment triggers here; a change nobody reacts to is written
 * and announced through the hooks only, so evaluating a segment for a million people queues nothing.
 * Per instance.
 */
@injectable()
export class SegmentChangeInterest {
  private readonly tests: SegmentChangeTest[] = [];

  register(test: SegmentChangeTest): void {
    this.tests.push(test);
  }

  async wants(segmentId: string, change: SegmentChange["change"]): Promise<boolean> {
    for (const test of this.tests) if (await test(segmentId, change)) return true;
    return false;
  }
}
