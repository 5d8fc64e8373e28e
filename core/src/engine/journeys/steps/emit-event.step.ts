import { EngineTokens } from "../../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import type { TemplateRenderer } from "../../../template/renderer.js";
import { IngestService } from "../../ingest/ingest-service.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/**
 * Tracks an event for the person, which other journeys may react to. The event's messageId is the
 * step's key, so the event store's dedupe makes a re-run after a crash a no-op.
 */
@injectable()
export class EmitEventStepHandler implements StepHandler<"emit-event"> {
  readonly type = "emit-event" as const;

  constructor(
    @inject(IngestService) private readonly ingest: IngestService,
    @inject(EngineTokens.TemplateRenderer) private readonly renderer: TemplateRenderer,
  ) {}

  async execute(step: StepOf<"emit-event">, run: StepRun): Promise<StepOutcome> {
    const profile = await run.profile();
    if (!profile) return { kind: "exit", reason: "the person was deleted" };
    const identity = profile.userId !== null ? { userId: profile.userId } : profile.anonymousIds[0] ? { anonymousId: profile.anonymousIds[0] } : null;
    if (!identity) return { kind: "next", next: step.next, note: "the person has no id to track with" };
    const e = run.enrollment;
    await this.ingest.track({
      ...identity,
      event: step.event,
      properties: step.properties ? await this.renderer.render(step.properties, run.scope(profile)) : {},
      messageId: `journey:${run.key}`,
      context: { journey: { id: e.journeyId, version: e.version, enrollmentId: e.id, stepId: step.id } },
    });
    return { kind: "next", next: step.next, note: `emitted ${step.event}` };
  }
}
