import { inject, injectable } from "tsyringe";
import type { Step, StepType } from "../../../domain/journey.js";
import { BranchStepHandler } from "./branch.step.js";
import { EmitEventStepHandler } from "./emit-event.step.js";
import { EnterJourneyStepHandler } from "./enter-journey.step.js";
import { ExitStepHandler } from "./exit.step.js";
import { SendStepHandler } from "./send.step.js";
import { SplitStepHandler } from "./split.step.js";
import type { StepHandler } from "./step-handler.js";
import { UpdateProfileStepHandler } from "./update-profile.step.js";
import { WaitForEventStepHandler } from "./wait-for-event.step.js";
import { WaitStepHandler } from "./wait.step.js";
import { WebhookStepHandler } from "./webhook.step.js";

/** The handler of every step kind, by type. */
@injectable()
export class StepRegistry {
  private readonly byType: Map<StepType, StepHandler>;

  constructor(
    @inject(SendStepHandler) send: SendStepHandler,
    @inject(WaitStepHandler) wait: WaitStepHandler,
    @inject(WaitForEventStepHandler) waitForEvent: WaitForEventStepHandler,
    @inject(BranchStepHandler) branch: BranchStepHandler,
    @inject(SplitStepHandler) split: SplitStepHandler,
    @inject(UpdateProfileStepHandler) updateProfile: UpdateProfileStepHandler,
    @inject(WebhookStepHandler) webhook: WebhookStepHandler,
    @inject(EmitEventStepHandler) emitEvent: EmitEventStepHandler,
    @inject(EnterJourneyStepHandler) enterJourney: EnterJourneyStepHandler,
    @inject(ExitStepHandler) exit: ExitStepHandler,
  ) {
    const all = [send, wait, waitForEvent, branch, split, updateProfile, webhook, emitEvent, enterJourney, exit] as StepHandler[];
    this.byType = new Map(all.map((h) => [h.type, h]));
  }

  /** The handler for a step; typed loosely here because the step and handler are matched by `type`. */
  for<T extends StepType>(step: Step & { type: T }): StepHandler<T> {
    return this.byType.get(step.type) as unknown as StepHandler<T>;
  }
}
