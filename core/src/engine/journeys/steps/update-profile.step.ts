import { EngineTokens } from "../../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import type { TemplateRenderer } from "../../../template/renderer.js";
import { ProfileService } from "../../profiles/profile-service.js";
import { ctx } from "../enrollment-context.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/**
 * Sets, unsets and increments traits. An increment is not idempotent, so the values it produces are
 * computed once and written to the enrollment's ledger before the profile changes: a re-run after a
 * crash writes the same absolute values again instead of adding twice.
 */
@injectable()
export class UpdateProfileStepHandler implements StepHandler<"update-profile"> {
  readonly type = "update-profile" as const;

  constructor(
    @inject(ProfileService) private readonly profiles: ProfileService,
    @inject(EngineTokens.TemplateRenderer) private readonly renderer: TemplateRenderer,
  ) {}

  async execute(step: StepOf<"update-profile">, run: StepRun): Promise<StepOutcome> {
    const profile = await run.profile();
    if (!profile) return { kind: "exit", reason: "the person was deleted" };
    let values = ctx(run.enrollment).effects?.[run.key]?.["set"] as Record<string, unknown> | undefined;
    if (values === undefined) {
      values = step.set ? await this.renderer.render(step.set, run.scope(profile)) : {};
      for (const [trait, by] of Object.entries(step.increment ?? {})) {
        const current = profile.traits[trait];
        values[trait] = (typeof current === "number" && Number.isFinite(current) ? current : 0) + by;
      }
      if (step.increment) await run.remember({ effects: { [run.key]: { set: values } } });
    }
    const set = values;
    await this.profiles.update(profile.id, (p) => {
      Object.assign(p.traits, set);
      for (const trait of step.unset ?? []) delete p.traits[trait];
      return p;
    });
    await run.refreshProfile();
    return { kind: "next", next: step.next, note: `traits ${[...Object.keys(set), ...(step.unset ?? [])].join(", ")}` };
  }
}
