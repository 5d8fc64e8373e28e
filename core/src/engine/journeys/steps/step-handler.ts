import type { NudgeEvent } from "../../../domain/event.js";
import type { Enrollment, JourneyDefinition, StepOf, StepType } from "../../../domain/journey.js";
import type { Profile } from "../../../domain/profile.js";
import type { Timer } from "../../../ports/stores.js";
import type { TemplateScope } from "../../../template/renderer.js";

/** What a step decided. `context` is merged into the enrollment's context with the move. */
export type StepOutcome =
  | { kind: "next"; next: string | undefined; context?: Record<string, unknown>; note?: string }
  /** The person stays at this step until its timer fires or an awaited event arrives. */
  | { kind: "park"; note?: string }
  | { kind: "exit"; reason: string; context?: Record<string, unknown> };

/** One execution of one step for one enrollment, with what a step may need. */
export interface StepRun {
  readonly enrollment: Enrollment;
  readonly definition: JourneyDefinition;
  /** (enrollment, step, visit): the idempotency key of this step's effect. */
  readonly key: string;
  readonly now: number;
  /** How deep enter-journey steps have nested this run (a loop guard). */
  readonly depth: number;
  /** The person, read once per run; null when they were deleted. */
  profile(): Promise<Profile | null>;
  /** Re-reads the person after a step changed them. */
  refreshProfile(): Promise<Profile | null>;
  scope(profile: Profile): TemplateScope;
  /** Durably records a context patch before an effect (a ledger entry): a re-run after a crash sees it. */
  remember(patch: Record<string, unknown>): Promise<void>;
  /** Enrols the person into another published journey, subject to its entry rules. */
  enroll(journeyId: string, key: string, vars: Record<string, unknown>): Promise<Enrollment | null>;
}

/**
 * One kind of step. `execute` runs when the person arrives (and again after a crash, so effects are
 * keyed by `run.key`); `onTimer` when the step's own timer fires; `onEvent` when an awaited event arrives.
 */
export interface StepHandler<T extends StepType = StepType> {
  readonly type: T;
  execute(step: StepOf<T>, run: StepRun): Promise<StepOutcome>;
  onTimer?(step: StepOf<T>, run: StepRun, timer: Timer): Promise<StepOutcome>;
  onEvent?(step: StepOf<T>, run: StepRun, event: NudgeEvent): Promise<StepOutcome | null>;
}
