import { DateTime, Duration } from "luxon";
import { inject, injectable } from "tsyringe";
import { ConflictError } from "../../errors.js";
import type { NudgeEvent } from "../../domain/event.js";
import type { Enrollment } from "../../domain/journey.js";
import type { Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { EnrollmentStore, ProfileStore, Timer } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { matchesFilters } from "../compare.js";
import { EventHandoff } from "../ingest/event-handoff.js";
import { JourneyRunner } from "./journey-runner.js";
import { JourneyService, type LiveJourney } from "./journey-service.js";
import { JourneyTimers } from "./journey-timers.js";
import { awaitedIndex } from "./steps/wait-for-event.step.js";

const CONFLICT_RETRIES = 3;
/** A poison event stops being retried after this many failures (it is still replayed at the next start). */
const MAX_EVENT_RETRIES = 10;

/** Whether events of this name start (or, for inactivity, re-arm) this journey, filters aside. */
function namedBy(live: LiveJourney, name: string): boolean {
  const t = live.version.definition.trigger;
  if (t.type === "event") return t.event === name;
  return t.type === "inactivity" && (t.event === undefined || t.event === name);
}

/** Whether the event starts (or, for inactivity, re-arms) this journey for its person. */
function triggeredBy(live: LiveJourney, event: NudgeEvent): boolean {
  const t = live.version.definition.trigger;
  return namedBy(live, event.name) && (t.type !== "event" || matchesFilters(event.properties, t.where));
}

function plus(at: number, iso: string): number {
  return DateTime.fromMillis(at, { zone: "utc" }).plus(Duration.fromISO(iso)).toMillis();
}

/**
 * What one accepted event does to journeys, in order: to people already in journeys (goals, exit-on,
 * awaited events) and then as a trigger (enrolments, inactivity timers). The person's enrollments are
 * read at most once, and only when some stored journey version listens for the event's name.
 */
@injectable()
export class JourneyEventRouter {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(JourneyService) private readonly journeys: JourneyService,
    @inject(JourneyRunner) private readonly runner: JourneyRunner,
    @inject(JourneyTimers) private readonly timers: JourneyTimers,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(EventHandoff) private readonly handoff: EventHandoff,
  ) {}

  /**
   * The PROCESS_EVENT_JOB handler. The event is marked processed last, so a run it started and that
   * failed resumes when the event is processed again: a minute later, or at the next start after a crash.
   */
  async process(messageId: string, attempt = 0): Promise<void> {
    let profileId: string | undefined;
    try {
      profileId = await this.processOnce(messageId);
    } catch (err) {
      if (attempt < MAX_EVENT_RETRIES) await this.timers.retryEvent(messageId, profileId, attempt + 1);
      else this.logger.error({ err, messageId }, "event processing keeps failing; left for the replay at the next start");
      throw err;
    }
  }

  /**
   * Whether an event of this name could touch a journey: someone may wait for it (or exit or convert on
   * it), or a published journey starts (or re-arms an inactivity timer) on it. Property filters are
   * left to processing.
   */
  async listensTo(name: string): Promise<boolean> {
    return (await this.journeys.watches(name)) || (await this.journeys.published()).some((live) => namedBy(live, name));
  }

  /** The JOURNEY_EVENT_TIMER handler. */
  async retry(timer: Timer): Promise<void> {
    await this.process(String(timer.payload["messageId"]), Number(timer.payload["attempt"] ?? 1));
  }

  private async processOnce(messageId: string): Promise<string | undefined> {
    const event = await this.handoff.take(messageId);
    if (!event || event.processedAt !== null) return event?.profileId;
    if (event.type === "track") {
      // The person is read only when some journey reacts to this event: most events trigger nothing.
      const triggered = (await this.journeys.published()).filter((live) => triggeredBy(live, event));
      const watched = await this.journeys.watches(event.name);
      const profile = triggered.length > 0 || watched ? await this.profiles.get(this.ws, event.profileId) : null;
      if (profile) {
        // People already in journeys first, so the event that enrols someone does not also end their new wait.
        if (watched) await this.toEnrollments(event);
        for (const live of triggered) await this.trigger(live, profile, event);
      }
    }
    await this.handoff.markProcessed(event, this.clock.now());
    return event.profileId;
  }

  private async toEnrollments(event: NudgeEvent): Promise<void> {
    for (const found of await this.enrollments.listByProfile(this.ws, event.profileId)) {
      let e: Enrollment | null = found;
      for (let attempt = 0; e; attempt++) {
        try {
          await this.apply(e, event);
          break;
        } catch (err) {
          // Another worker moved this enrollment meanwhile: apply the event to what it stored.
          if (!(err instanceof ConflictError) || attempt >= CONFLICT_RETRIES) throw err;
          e = await this.enrollments.get(this.ws, found.id);
        }
      }
    }
  }

  private async apply(start: Enrollment, event: NudgeEvent): Promise<void> {
    let e = start;
    const def = await this.journeys.version(e.journeyId, e.version);
    if (!def) return;
    const goal = def.goal;
    if (
      goal &&
      e.convertedAt === null &&
      goal.event === event.name &&
      event.timestamp >= e.enteredAt &&
      event.timestamp <= plus(e.enteredAt, goal.within) &&
      matchesFilters(event.properties, goal.where)
    ) {
      e = await this.runner.convert(e, event.timestamp, goal.exit === true);
    }
    if (e.state !== "active") return;
    if (def.exitOn.some((x) => x.event === event.name && matchesFilters(event.properties, x.where))) {
      await this.runner.exit(e, `exit-on event "${event.name}"`);
      return;
    }
    const step = def.steps.find((s) => s.id === e.stepId);
    if (step?.type === "wait-for-event" && awaitedIndex(step, event) >= 0) await this.runner.onEvent(e, event);
  }

  private async trigger(live: LiveJourney, profile: Profile, event: NudgeEvent): Promise<void> {
    const t = live.version.definition.trigger;
    if (t.type === "event") {
      // No recovery timer: until the run ends the event is unprocessed, and processing it again resumes the run.
      await this.runner.enroll(live, profile, { key: event.id, event }, 0, false);
    } else if (t.type === "inactivity") {
      // Re-armed by every matching event: the timer only fires after `after` without one.
      const due = plus(event.timestamp, t.after);
      if (due > this.clock.now()) await this.timers.scheduleInactivity(live.head.journeyId, profile.id, due);
    }
  }
}
