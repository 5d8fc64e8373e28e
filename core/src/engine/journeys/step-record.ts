import type { StepType } from "../../domain/journey-steps.js";
import type { StepOutcome } from "./steps/step-handler.js";

/** What started a step's turn: the person arrived, its timer fired, or an awaited event came. */
export type StepVia = "arrive" | "timer" | "event";

/** One step's turn, as the `journey.step` hook reports it. */
export interface JourneyStepRecord {
  workspace: string;
  journeyId: string;
  version: number;
  enrollmentId: string;
  profileId: string;
  stepId: string;
  type: StepType;
  visit: number;
  at: number;
  via: StepVia;
  outcome: StepOutcome["kind"];
  next: string | null;
  note: string | null;
}
