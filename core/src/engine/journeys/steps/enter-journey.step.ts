import { injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/** Journeys entering journeys nest at most this deep in one run: a cycle with concurrency allowed stops here. */
const MAX_DEPTH = 5;

/**
 * Moves the person into another published journey, subject to its entry rules. The new enrollment's
 * id derives from this step's key, so a re-run after a crash finds it instead of enrolling twice.
 */
@injectable()
export class EnterJourneyStepHandler implements StepHandler<"enter-journey"> {
  readonly type = "enter-journey" as const;

  async execute(step: StepOf<"enter-journey">, run: StepRun): Promise<StepOutcome> {
    if (run.depth >= MAX_DEPTH) return { kind: "next", next: step.next, note: `not entered: journeys nest deeper than ${MAX_DEPTH}` };
    const e = run.enrollment;
    const entered = await run.enroll(step.journey, run.key, { from: { journeyId: e.journeyId, enrollmentId: e.id, stepId: step.id } });
    return { kind: "next", next: step.next, note: entered ? `entered ${step.journey} (${entered.id})` : `not entered ${step.journey}` };
  }
}
