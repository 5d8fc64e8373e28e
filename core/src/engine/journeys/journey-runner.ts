import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { NudgeEvent } from "../../domain/event.js";
import type { Enrollment, JourneyDefinition, Step } from "../../domain/journey.js";
import type { Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { EnrollmentStore, ProfileStore, Timer } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { effectKey, eventScope, mergeContext, templateScope, type JourneyContext } from "./enrollment-context.js";
import { EnrollmentWriter, type StepVia } from "./enrollment-writer.js";
import { mayEnter } from "./entry-rules.js";
import { JourneyService, type LiveJourney } from "./journey-service.js";
import { JOURNEY_RUN_TIMER, JourneyTimers } from "./journey-timers.js";
import type { StepOutcome, StepRun } from "./steps/step-handler.js";
import { StepRegistry } from "./steps/step-registry.js";

export interface EnrollTrigger {
  /** Makes enrolment idempotent: the trigger event's id, a segment change, a schedule occurrence. */
  key: string;
  event?: NudgeEvent;
  vars?: Record<string, unknown>;
}

type Resume = { via: StepVia; outcome: (step: Step, run: StepRun) => Promise<StepOutcome | null> };
type MutableRun = StepRun & { enrollment: Enrollment };

/**
 * Enrols people and walks them through the version they entered. Position and waits live in storage and
 * steps key their effects by (enrollment, step, visit), so a run interrupted anywhere resumes from the
 * stored position without repeating an effect. What resumes it depends on what started it, so the
 * common paths write nothing extra:
 * - a tracked event: the event is marked processed only after the run; a failed run retries the event,
 *   a dead process's unprocessed events are replayed at start, and the replay finds the enrollment;
 * - a step's timer: it is completed only after the run, so a failed run's timer fires again when its
 *   lease ends, and a timer for a step the person already left resumes them where they are;
 * - anything else (segment changes, trigger sources, awaited events): a recovery timer is armed for
 *   the length of the run.
 */
@injectable()
export class JourneyRunner {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(JourneyService) private readonly journeys: JourneyService,
    @inject(JourneyTimers) private readonly timers: JourneyTimers,
    @inject(StepRegistry) private readonly steps: StepRegistry,
    @inject(EnrollmentWriter) private readonly writer: EnrollmentWriter,
  ) {}

  /**
   * Enrols a person, subject to the entry rules, and runs them to their first wait or the end. A trigger
   * seen before (a replay) resumes the enrollment it made. `arm: false` when the caller's own retry
   * (an unprocessed event) covers a crash.
   */
  async enroll(live: LiveJourney, profile: Profile, trigger: EnrollTrigger, depth = 0, arm = true): Promise<Enrollment | null> {
    const def = live.version.definition;
    const id = `${def.id}:${trigger.key}`;
    const latest = await this.enrollments.latest(this.ws, def.id, profile.id);
    if (latest?.id === id) return this.replayed(latest, arm);
    const now = this.clock.now();
    if (!mayEnter(def, latest, now)) return null;
    const start = def.start ?? def.steps[0]!.id;
    const context: JourneyContext = { visits: { [start]: 1 } };
    if (trigger.event) context.trigger = eventScope(trigger.event);
    if (trigger.vars) context.vars = trigger.vars;
    const enrollment: Enrollment = {
      workspaceId: this.ws,
      id,
      journeyId: def.id,
      version: live.version.version,
      profileId: profile.id,
      state: "active",
      stepId: start,
      visit: 1,
      context: context as Record<string, unknown>,
      enteredAt: now,
      updatedAt: now,
      endedAt: null,
      exitReason: null,
      convertedAt: null,
      rev: 0,
    };
    // Armed before the insert: a crash right after it still leaves a way to resume.
    if (arm) await this.timers.setRecovery(enrollment);
    if (!(await this.writer.create(enrollment))) {
      const existing = await this.enrollments.get(this.ws, id);
      return existing ? this.replayed(existing, arm) : null;
    }
    return this.proceed(enrollment, def, { profile }, depth, arm);
  }

  private async replayed(e: Enrollment, arm: boolean): Promise<Enrollment> {
    return e.state === "active" ? this.resume(e, arm) : e;
  }

  /** Enrols by journey id (trigger sources, enter-journey steps); null when not published or not allowed in. */
  async enrollInto(journeyId: string, profileId: string, trigger: EnrollTrigger, depth = 0): Promise<Enrollment | null> {
    const live = (await this.journeys.published()).find((j) => j.head.journeyId === journeyId);
    const profile = live ? await this.profiles.get(this.ws, profileId) : null;
    return live && profile ? this.enroll(live, profile, trigger, depth) : null;
  }

  /** A step's timer (a wait ended, a timeout, a retry) or a recovery timer fired. */
  async onTimer(timer: Timer): Promise<void> {
    const e = await this.enrollments.get(this.ws, String(timer.payload["enrollmentId"]));
    if (!e || e.state !== "active") return;
    if (timer.kind === JOURNEY_RUN_TIMER) return void (await this.resume(e, true));
    // The person left the timer's step: they are parked elsewhere (re-running that step keeps its
    // timer) or a run died after moving them, and this timer firing again is how it resumes.
    const current = e.stepId === timer.payload["stepId"] && e.visit === timer.payload["visit"];
    await this.resume(e, false, current ? { via: "timer", outcome: (step, run) => this.timerOutcome(step, run, timer) } : undefined);
  }

  private timerOutcome(step: Step, run: StepRun, timer: Timer): Promise<StepOutcome> {
    const handler = this.steps.for(step);
    return handler.onTimer ? handler.onTimer(step, run, timer) : handler.execute(step, run);
  }

  /** An event a wait-for-event step awaits arrived for a person parked there. */
  async onEvent(e: Enrollment, event: NudgeEvent): Promise<Enrollment> {
    return this.resume(e, true, { via: "event", outcome: async (step, run) => (await this.steps.for(step).onEvent?.(step, run, event)) ?? null });
  }

  /** Ends an enrollment wherever the person is (an exit-on event). */
  async exit(e: Enrollment, reason: string): Promise<Enrollment> {
    await this.timers.cancelStep(e);
    return this.writer.end(e, "exited", reason);
  }

  /** Records the goal; a goal with `exit` also ends the journey. */
  async convert(e: Enrollment, at: number, exit: boolean): Promise<Enrollment> {
    const saved = await this.writer.save({ ...e, convertedAt: at });
    return exit && saved.state === "active" ? this.exit(saved, "converted") : saved;
  }

  private async resume(e: Enrollment, arm: boolean, first?: Resume): Promise<Enrollment> {
    const def = await this.journeys.version(e.journeyId, e.version);
    if (!def) return this.writer.end(e, "exited", `version ${e.version} of the journey no longer exists`);
    if (arm) await this.timers.setRecovery(e);
    return this.proceed(e, def, {}, 0, arm, first);
  }

  /** Runs from the current step until the person parks or leaves; `armed`: a recovery timer is set and cleared at the end. */
  private async proceed(
    start: Enrollment,
    def: JourneyDefinition,
    cache: { profile?: Profile | null },
    depth: number,
    armed: boolean,
    first?: Resume,
  ): Promise<Enrollment> {
    let e = start;
    let statusChecked = false;
    for (let n = 0; e.state === "active"; n++) {
      const step = def.steps.find((s) => s.id === e.stepId);
      if (!step) {
        e = await this.writer.end(e, "exited", `step "${e.stepId}" no longer exists`);
        break;
      }
      if (!first) {
        // Checked before a step's effect; a wait that ended is still booked while paused.
        const status = statusChecked ? "published" : await this.journeys.status(e.journeyId);
        statusChecked = true;
        if (status === "paused") {
          await this.timers.setRecovery(e, this.clock.now() + this.options.journeys.pausedRecheckMs);
          return e;
        }
        if (status !== "published") {
          e = await this.writer.end(e, "exited", `the journey was ${status ?? "deleted"}`);
          break;
        }
        if (n >= this.options.maxStepsPerRun) {
          e = await this.writer.end(e, "exited", `more than ${this.options.maxStepsPerRun} steps in a row (a loop without a wait?)`);
          break;
        }
      }
      const run = this.stepRun(e, def, cache, depth);
      const via = first?.via ?? "arrive";
      const outcome = first ? await first.outcome(step, run) : await this.steps.for(step).execute(step, run);
      first = undefined;
      e = run.enrollment;
      if (!outcome) break;
      this.writer.recordStep(e, step, via, outcome);
      if (outcome.kind === "park") break;
      e = outcome.kind === "exit" ? await this.writer.end(e, "exited", outcome.reason, outcome.context) : await this.writer.moveTo(e, outcome.next, outcome.context);
    }
    if (armed) await this.timers.clearRecovery(e);
    return e;
  }

  private stepRun(e: Enrollment, def: JourneyDefinition, cache: { profile?: Profile | null }, depth: number): MutableRun {
    const run: MutableRun = {
      enrollment: e,
      definition: def,
      key: effectKey(e),
      now: this.clock.now(),
      depth,
      profile: async () => {
        if (cache.profile === undefined) cache.profile = await this.profiles.get(this.ws, e.profileId);
        return cache.profile;
      },
      refreshProfile: async () => {
        delete cache.profile;
        return run.profile();
      },
      scope: (p) => templateScope(run.enrollment, p, this.clock.now()),
      remember: async (patch) => {
        run.enrollment = await this.writer.save({ ...run.enrollment, context: mergeContext(run.enrollment.context, patch) });
      },
      enroll: (journeyId, key, vars) => this.enrollInto(journeyId, e.profileId, { key, vars }, depth + 1),
    };
    return run;
  }
}
