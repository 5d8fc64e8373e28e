import { DateTime, Duration } from "luxon";
import { inject, injectable } from "tsyringe";
import type { NudgeEvent } from "../../../domain/event.js";
import type { StepOf } from "../../../domain/journey.js";
import { matchesFilters } from "../../compare.js";
import { eventScope } from "../enrollment-context.js";
import { JourneyTimers } from "../journey-timers.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/** The first awaited event this event satisfies, by position; -1 for none. */
export function awaitedIndex(step: StepOf<"wait-for-event">, event: Pick<NudgeEvent, "name" | "properties">): number {
  return step.events.findIndex((a) => a.event === event.name && matchesFilters(event.properties, a.where));
}

/**
 * Waits up to `timeout` for one of several events; one exit per event and one for the timeout. Events
 * and timers of one person are processed in order, so whichever is processed first wins and the other
 * finds the person gone from the step (a stale timer, a non-matching step).
 */
@injectable()
export class WaitForEventStepHandler implements StepHandler<"wait-for-event"> {
  readonly type = "wait-for-event" as const;

  constructor(@inject(JourneyTimers) private readonly timers: JourneyTimers) {}

  async execute(step: StepOf<"wait-for-event">, run: StepRun): Promise<StepOutcome> {
    const dueAt = DateTime.fromMillis(run.now, { zone: "utc" }).plus(Duration.fromISO(step.timeout)).toMillis();
    await this.timers.scheduleStep(run.enrollment, dueAt, { timeout: true });
    return { kind: "park", note: `for ${step.events.map((e) => e.event).join(" | ")} up to ${step.timeout}` };
  }

  async onTimer(step: StepOf<"wait-for-event">): Promise<StepOutcome> {
    return { kind: "next", next: step.onTimeout, note: "timed out", context: { timeouts: { [step.id]: true } } };
  }

  async onEvent(step: StepOf<"wait-for-event">, run: StepRun, event: NudgeEvent): Promise<StepOutcome | null> {
    const i = awaitedIndex(step, event);
    if (i < 0) return null;
    await this.timers.cancelStep(run.enrollment);
    const scope = eventScope(event);
    return { kind: "next", next: step.events[i]!.next, note: `got ${event.name}`, context: { events: { [step.id]: scope }, lastEvent: scope } };
  }
}
