import { injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import type { StepHandler, StepOutcome } from "./step-handler.js";

/** Ends the journey here, with a reason people can read. */
@injectable()
export class ExitStepHandler implements StepHandler<"exit"> {
  readonly type = "exit" as const;

  async execute(step: StepOf<"exit">): Promise<StepOutcome> {
    return { kind: "exit", reason: step.reason ?? `exit step "${step.id}"` };
  }
}
