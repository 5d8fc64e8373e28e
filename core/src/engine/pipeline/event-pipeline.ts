import { inject, injectable } from "tsyringe";
import type { SegmentChange } from "../engine-tokens.js";
import { JourneyEventRouter } from "../journeys/event-router.js";
import { JourneyTriggers } from "../journeys/journey-triggers.js";
import { SegmentChanges } from "../segments/segment-changes.js";
import { SegmentRequests } from "../segments/segment-requests.js";

/**
 * What happens to an accepted event, in order. Before the job (IngestService, in the caller's request):
 *   1. identity: the person is found or created (ProfileService.resolveIdentity);
 *   2. the event is stored, deduplicated by messageId: "accepted" means this write committed;
 *   3. an identify's traits are set on the person;
 *   4. the event's job is queued, keyed by person, unless nothing listens to it (then it is stored processed).
 * In the job (`processEvent`, below):
 *   5. segments: memberships this event can change are re-evaluated (entered / exited become jobs of their own);
 *   6. journeys: the event starts, advances or ends enrollments, and marks the event processed.
 * Segments go first so a journey sees the person's memberships after the event. A crash anywhere before
 * step 6 leaves the event unprocessed, and the start-up replay runs the job again; each stage is idempotent.
 */
@injectable()
export class EventPipeline {
  constructor(
    @inject(SegmentRequests) private readonly segments: SegmentRequests,
    @inject(SegmentChanges) private readonly segmentChanges: SegmentChanges,
    @inject(JourneyEventRouter) private readonly journeys: JourneyEventRouter,
    @inject(JourneyTriggers) private readonly triggers: JourneyTriggers,
  ) {}

  /** The job of an accepted event (PROCESS_EVENT_JOB): segments, then journeys. */
  async processEvent(job: Record<string, unknown>): Promise<void> {
    await this.segments.onEvent(job);
    await this.journeys.process(String(job["messageId"]));
  }

  /** The job of a segment entry or exit (SEGMENT_CHANGED_JOB): journeys it triggers, then its notice timer is dropped. */
  async segmentChanged(job: Record<string, unknown>): Promise<void> {
    await this.triggers.onSegmentChange(job as unknown as SegmentChange);
    await this.segmentChanges.noticeDone(job);
  }
}
