import { inject, injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import { BranchConditions } from "../branch-conditions.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/** Ordered paths: the first whose condition holds is taken, else `otherwise`. */
@injectable()
export class BranchStepHandler implements StepHandler<"branch"> {
  readonly type = "branch" as const;

  constructor(@inject(BranchConditions) private readonly conditions: BranchConditions) {}

  async execute(step: StepOf<"branch">, run: StepRun): Promise<StepOutcome> {
    const profile = await run.profile();
    if (!profile) return { kind: "exit", reason: "the person was deleted" };
    for (const [i, path] of step.paths.entries()) {
      if (await this.conditions.holds(path.when, run, profile)) {
        return { kind: "next", next: path.next, note: `path ${path.name ?? i}`, context: { branches: { [step.id]: path.name ?? String(i) } } };
      }
    }
    return { kind: "next", next: step.otherwise, note: "otherwise", context: { branches: { [step.id]: "otherwise" } } };
  }
}
