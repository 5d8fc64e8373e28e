import { EngineTokens } from "../../engine-tokens.js";
import { DateTime } from "luxon";
import { inject, injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import type { NudgeOptionsResolved } from "../../options.js";
import { JourneyTimers } from "../journey-timers.js";
import { waitEnd } from "../wait-time.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/** Waits a duration, until a local time of day, until an instant, or until a date kept in a trait. */
@injectable()
export class WaitStepHandler implements StepHandler<"wait"> {
  readonly type = "wait" as const;

  constructor(
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(JourneyTimers) private readonly timers: JourneyTimers,
  ) {}

  async execute(step: StepOf<"wait">, run: StepRun): Promise<StepOutcome> {
    const end = waitEnd(step, run.now, await run.profile(), this.options.timezone);
    if (end.past || end.dueAt === null) {
      const why = end.dueAt === null ? `trait "${step.trait?.name}" holds no date` : "the moment had already passed";
      return step.ifPast === "exit" ? { kind: "exit", reason: `wait "${step.id}": ${why}` } : { kind: "next", next: step.next, note: why };
    }
    if (end.dueAt <= run.now) return { kind: "next", next: step.next, note: "no wait needed" };
    // Kept if it exists: a run recovered after a crash must not push the end of the wait further out.
    await this.timers.scheduleStep(run.enrollment, end.dueAt);
    return { kind: "park", note: `until ${DateTime.fromMillis(end.dueAt, { zone: "utc" }).toISO()}` };
  }

  async onTimer(step: StepOf<"wait">): Promise<StepOutcome> {
    return { kind: "next", next: step.next, note: "wait over" };
  }
}
