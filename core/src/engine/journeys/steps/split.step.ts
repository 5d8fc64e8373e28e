import { createHash } from "node:crypto";
import { injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/** A stable bucket in [0, 10000) for (journey, step, person): the same person always lands in the same arm. */
export function splitBucket(journeyId: string, stepId: string, personKey: string): number {
  return createHash("sha1").update(`${journeyId}\u0000${stepId}\u0000${personKey}`).digest().readUInt32BE(0) % 10_000;
}

/** The arm for a bucket: paths in order, then the holdout, by cumulative share. */
export function splitArm(step: StepOf<"split">, bucket: number): { name: string; next: string | undefined; holdout: boolean } {
  let upTo = 0;
  for (const p of step.paths) {
    upTo += p.percent * 100;
    if (bucket < upTo) return { name: p.name, next: p.next, holdout: false };
  }
  if (step.holdout) return { name: "holdout", next: step.holdout.next, holdout: true };
  const last = step.paths[step.paths.length - 1]!; // rounding left a sliver above the last share
  return { name: last.name, next: last.next, holdout: false };
}

/**
 * A/B/n split with an optional control group; the arm is recorded on the enrollment (`splits`). The
 * person is keyed by the host's userId when there is one, so the arm is the same in every version, on
 * every re-entry, in another instance of the workspace and in a simulation of the journey.
 */
@injectable()
export class SplitStepHandler implements StepHandler<"split"> {
  readonly type = "split" as const;

  async execute(step: StepOf<"split">, run: StepRun): Promise<StepOutcome> {
    const person = (await run.profile())?.userId ?? run.enrollment.profileId;
    const arm = splitArm(step, splitBucket(run.definition.id, step.id, person));
    const context = { splits: { [step.id]: arm.name } };
    if (arm.holdout && arm.next === undefined) return { kind: "exit", reason: "holdout (control group)", context };
    return { kind: "next", next: arm.next, context, note: `arm ${arm.name}` };
  }
}
