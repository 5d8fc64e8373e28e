import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import { ConflictError } from "../../errors.js";
import type { Enrollment, Step} from "../../domain/journey.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { EnrollmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { Hooks } from "../hooks.js";
import { ctx, mergeContext } from "./enrollment-context.js";
import type { StepVia } from "./step-record.js";
import type { StepOutcome } from "./steps/step-handler.js";

export type { JourneyStepRecord, StepVia } from "./step-record.js";

/**
 * Every enrollment write: one per step moved, with optimistic concurrency (a writer that lost the race
 * gets ConflictError and re-reads), and the hooks that tell the host and the simulator what happened.
 */
@injectable()
export class EnrollmentWriter {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(EngineTokens.Hooks) private readonly hooks: Hooks,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  /** Moves to `next` (counting the visit, which keys that step's effect), or completes when there is none. */
  async moveTo(e: Enrollment, next: string | undefined, patch: Record<string, unknown> = {}): Promise<Enrollment> {
    if (next === undefined) return this.end(e, "completed", null, patch);
    const visits = { ...(ctx(e).visits ?? {}) };
    visits[next] = (visits[next] ?? 0) + 1;
    return this.save({ ...e, stepId: next, visit: visits[next], context: mergeContext(e.context, { ...patch, visits }) });
  }

  async end(e: Enrollment, state: "completed" | "exited", reason: string | null, patch: Record<string, unknown> = {}): Promise<Enrollment> {
    return this.save({ ...e, state, endedAt: this.clock.now(), exitReason: reason, context: mergeContext(e.context, patch) });
  }

  /** Stores a new enrollment; false when one with its id exists (a replayed trigger). */
  async create(e: Enrollment): Promise<boolean> {
    if (!(await this.enrollments.create(e))) return false;
    this.hooks.emit("enrollment.updated", e);
    return true;
  }

  async save(e: Enrollment): Promise<Enrollment> {
    try {
      const saved = await this.enrollments.update({ ...e, updatedAt: this.clock.now() });
      this.hooks.emit("enrollment.updated", saved);
      return saved;
    } catch (err) {
      if (err instanceof ConflictError) this.logger.warn({ enrollmentId: e.id }, "enrollment changed concurrently");
      throw err;
    }
  }

  /** Tells listeners (hosts, the simulator) which step ran and what it decided. */
  recordStep(e: Enrollment, step: Step, via: StepVia, outcome: StepOutcome): void {
    this.hooks.emit("journey.step", {
      workspace: this.ws,
      journeyId: e.journeyId,
      version: e.version,
      enrollmentId: e.id,
      profileId: e.profileId,
      stepId: step.id,
      type: step.type,
      visit: e.visit,
      at: this.clock.now(),
      via,
      outcome: outcome.kind,
      next: outcome.kind === "next" ? (outcome.next ?? null) : null,
      note: outcome.kind === "exit" ? outcome.reason : (outcome.note ?? null),
    });
  }
}
