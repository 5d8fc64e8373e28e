import { injectAll, injectable } from "tsyringe";
import type { Step, StepType } from "../../../domain/journey.js";
import { token } from "../../../tokens.js";
import type { StepHandler } from "./step-handler.js";

/** Every step handler of the instance (one per step type), registered by the engine (see STEP_HANDLERS). */
export const StepHandlers = token<StepHandler>("StepHandlers", { multi: true });

/** The handler of every step kind, by type. */
@injectable()
export class StepRegistry {
  private readonly byType: Map<StepType, StepHandler>;

  constructor(@injectAll(StepHandlers) handlers: StepHandler[]) {
    this.byType = new Map(handlers.map((h) => [h.type, h]));
  }

  /** The handler for a step; typed loosely here because the step and handler are matched by `type`. */
  for<T extends StepType>(step: Step & { type: T }): StepHandler<T> {
    return this.byType.get(step.type) as unknown as StepHandler<T>;
  }
}
