import { inject, injectable } from "tsyringe";
import type { Enrollment } from "../../domain/journey.js";
import type { Clock } from "../../ports/clock.js";
import type { ProfileStore, Timer } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { SegmentChange } from "../engine-tokens.js";
import { JourneyRunner } from "./journey-runner.js";
import { JourneyService, type LiveJourney } from "./journey-service.js";

/**
 * Triggers that are not a tracked event: a person entering or leaving a segment (SEGMENT_CHANGED_JOB),
 * an inactivity timer, and trigger sources (schedules, buses) enrolling people by journey id.
 * Enrolment keys name the person, so one occurrence enrols each person at most once.
 */
@injectable()
export class JourneyTriggers {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(JourneyService) private readonly journeys: JourneyService,
    @inject(JourneyRunner) private readonly runner: JourneyRunner,
  ) {}

  /** Whether a published journey starts when someone enters (or leaves) this segment. */
  async listensTo(segmentId: string, change: SegmentChange["change"]): Promise<boolean> {
    return (await this.journeys.published()).some((j) => startsOn(j, segmentId, change));
  }

  async onSegmentChange(change: SegmentChange): Promise<void> {
    const matching = (await this.journeys.published()).filter((j) => startsOn(j, change.segmentId, change.change));
    if (matching.length === 0) return;
    const profile = await this.profiles.get(this.ws, change.profileId);
    if (!profile) return;
    for (const live of matching) {
      await this.runner.enroll(live, profile, {
        key: `segment:${change.segmentId}:${change.change}:${change.at}:${profile.id}`,
        vars: { segment: { id: change.segmentId, change: change.change, at: new Date(change.at).toISOString() } },
      });
    }
  }

  /** The inactivity timer fired: no matching event re-armed it, so the person has been quiet long enough. */
  async onInactive(timer: Timer): Promise<void> {
    const journeyId = String(timer.payload["journeyId"]);
    const live = (await this.journeys.published()).find((j) => j.head.journeyId === journeyId);
    if (!live || live.version.definition.trigger.type !== "inactivity") return;
    const profile = await this.profiles.get(this.ws, String(timer.payload["profileId"]));
    if (!profile) return;
    await this.runner.enroll(live, profile, { key: `inactive:${timer.dueAt}:${profile.id}`, vars: { inactivity: { reachedAt: new Date(timer.dueAt).toISOString() } } });
  }

  /** A trigger source enrols a person; `key` (an occurrence) makes a repeated call enrol once. */
  async fromSource(sourceId: string, journeyId: string, profileId: string, vars?: Record<string, unknown>, key?: string): Promise<Enrollment | null> {
    const occurrence = key ?? String(this.clock.now());
    return this.runner.enrollInto(journeyId, profileId, { key: `${sourceId}:${occurrence}:${profileId}`, ...(vars ? { vars } : {}) });
  }
}

function startsOn(j: LiveJourney, segmentId: string, change: SegmentChange["change"]): boolean {
  const t = j.version.definition.trigger;
  return t.type === "segment" && t.segment === segmentId && t.on === change;
}
