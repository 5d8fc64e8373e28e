import { inject, injectable } from "tsyringe";
import type { Enrollment } from "../../domain/journey.js";
import type { Clock } from "../../ports/clock.js";
import type { TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";

/** A step's own timer: a wait that ends, a timeout, a retry. */
export const JOURNEY_WAIT_TIMER = "journey.wait";
/** Resumes a run interrupted by a crash, or a person held while their journey is paused. */
export const JOURNEY_RUN_TIMER = "journey.run";
/** Processes an accepted event again after its processing failed. */
export const JOURNEY_EVENT_TIMER = "journey.event";
/** Fires when a person has been inactive long enough for an inactivity-triggered journey. */
export const JOURNEY_INACTIVE_TIMER = "journey.inactive";

/** A run that has not finished this long after it started is resumed by its recovery timer. */
export const RECOVERY_DELAY_MS = 60_000;

/**
 * The durable timers of journeys. Ids are deterministic, so scheduling twice keeps one timer, and a
 * timer names the (step, visit) it belongs to: one that fires after the person moved on is stale.
 */
@injectable()
export class JourneyTimers {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
  ) {}

  stepTimerId(e: Pick<Enrollment, "id" | "stepId" | "visit">): string {
    return `${JOURNEY_WAIT_TIMER}:${e.id}:${e.stepId}:${e.visit}`;
  }

  /**
   * Schedules the current step's timer. With `replace: false` an existing one is kept: a recovered run
   * re-executing a wait must not push its end further out.
   */
  async scheduleStep(e: Enrollment, dueAt: number, data: Record<string, unknown> = {}, replace = false): Promise<void> {
    const id = this.stepTimerId(e);
    if (!replace && (await this.timers.get(this.ws, id))) return;
    await this.timers.schedule({
      workspaceId: this.ws,
      id,
      dueAt,
      kind: JOURNEY_WAIT_TIMER,
      payload: { ...data, enrollmentId: e.id, profileId: e.profileId, stepId: e.stepId, visit: e.visit },
    });
  }

  async cancelStep(e: Pick<Enrollment, "id" | "stepId" | "visit">): Promise<void> {
    await this.timers.cancel(this.ws, this.stepTimerId(e));
  }

  async setRecovery(e: Pick<Enrollment, "id" | "profileId">, dueAt = this.clock.now() + RECOVERY_DELAY_MS): Promise<void> {
    await this.timers.schedule({
      workspaceId: this.ws,
      id: `${JOURNEY_RUN_TIMER}:${e.id}`,
      dueAt,
      kind: JOURNEY_RUN_TIMER,
      payload: { enrollmentId: e.id, profileId: e.profileId },
    });
  }

  async clearRecovery(e: Pick<Enrollment, "id">): Promise<void> {
    await this.timers.cancel(this.ws, `${JOURNEY_RUN_TIMER}:${e.id}`);
  }

  /** The event's processing failed: it is tried again after the recovery delay (it stays unprocessed meanwhile). */
  async retryEvent(messageId: string, profileId: string | undefined, attempt: number): Promise<void> {
    await this.timers.schedule({
      workspaceId: this.ws,
      id: `${JOURNEY_EVENT_TIMER}:${messageId}`,
      dueAt: this.clock.now() + RECOVERY_DELAY_MS,
      kind: JOURNEY_EVENT_TIMER,
      payload: { messageId, attempt, ...(profileId === undefined ? {} : { profileId }) },
    });
  }

  /** Re-armed on every matching event, so it only fires after `after` without one. */
  async scheduleInactivity(journeyId: string, profileId: string, dueAt: number): Promise<void> {
    await this.timers.schedule({
      workspaceId: this.ws,
      id: `${JOURNEY_INACTIVE_TIMER}:${journeyId}:${profileId}`,
      dueAt,
      kind: JOURNEY_INACTIVE_TIMER,
      payload: { journeyId, profileId },
    });
  }
}
