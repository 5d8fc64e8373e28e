import { z } from "zod";
import { ValidationError, formatPath, type FieldIssue } from "../errors.js";
import { IsoDuration } from "./common.js";
import { PropertyFilter } from "./segment.js";
import { Trigger } from "./trigger.js";
import { Step, StepId, stepTargets } from "./journey-steps.js";

export * from "./journey-steps.js";
export * from "./journey-conditions.js";

export const EntryRules = z
  .object({
    reentry: z.enum(["never", "always", "cooldown"]).default("always"),
    cooldown: IsoDuration.optional(),
    /** More than one active enrollment per person at once. */
    allowConcurrent: z.boolean().default(false),
  })
  .refine((e) => e.reentry !== "cooldown" || e.cooldown !== undefined, { message: 're-entry "cooldown" needs a cooldown duration', path: ["cooldown"] });

export const ExitOn = z.object({ event: z.string().min(1), where: z.array(PropertyFilter).optional() });

/** A conversion: the event within `within` of entering is recorded on the enrollment; `exit` also ends it. */
export const Goal = z.object({ event: z.string().min(1), where: z.array(PropertyFilter).optional(), within: IsoDuration, exit: z.boolean().optional() });

export const JourneyDefinition = z
  .object({
    id: z.string().min(1).max(200),
    name: z.string().min(1).optional(),
    trigger: Trigger,
    entry: EntryRules.default({ reentry: "always", allowConcurrent: false }),
    /** Events that end the journey at once, wherever the person is. */
    exitOn: z.array(ExitOn).default([]),
    goal: Goal.optional(),
    /** The first step; the first in `steps` when absent. */
    start: StepId.optional(),
    steps: z.array(Step).min(1),
  })
  .superRefine((j, ctx) => {
    const ids = new Set<string>();
    j.steps.forEach((s, i) => {
      if (ids.has(s.id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `duplicate step id "${s.id}"` });
      ids.add(s.id);
    });
    j.steps.forEach((s, i) => {
      for (const t of stepTargets(s)) {
        if (!ids.has(t.id)) ctx.addIssue({ code: "custom", path: ["steps", i, ...t.path], message: `unknown step "${t.id}"` });
      }
    });
    if (j.start !== undefined && !ids.has(j.start)) {
      ctx.addIssue({ code: "custom", path: ["start"], message: `unknown start step "${j.start}"` });
    }
  });
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;
export type JourneyDefinitionInput = z.input<typeof JourneyDefinition>;

/**
 * Parses a journey definition. Issues about a step name it by position and id, e.g.
 * `steps[2](remind).timeout`, so an error in a 40-step journey points at the right step.
 */
export function parseJourney(input: unknown): JourneyDefinition {
  const parsed = JourneyDefinition.safeParse(input);
  if (parsed.success) return parsed.data;
  const raw = (input as { steps?: unknown } | null)?.steps;
  const issues: FieldIssue[] = parsed.error.issues.map((i) => {
    const [head, index, ...rest] = i.path;
    if (head !== "steps" || typeof index !== "number") return { path: formatPath(i.path), message: i.message };
    const id = Array.isArray(raw) ? (raw[index] as { id?: unknown } | undefined)?.id : undefined;
    const named = typeof id === "string" ? `steps[${index}](${id})` : `steps[${index}]`;
    const tail = rest.length > 0 ? formatPath(rest) : "";
    return { path: tail === "" ? named : tail.startsWith("[") ? named + tail : `${named}.${tail}`, message: i.message };
  });
  throw new ValidationError("journey", issues, { cause: parsed.error });
}

export const JourneyStatus = z.enum(["draft", "published", "paused", "archived"]);
export type JourneyStatus = z.infer<typeof JourneyStatus>;

/** One stored version of a journey. Versions are immutable once written. */
export interface JourneyVersion {
  workspaceId: string;
  journeyId: string;
  version: number;
  definition: JourneyDefinition;
  createdAt: number;
}

/** The moving parts of a journey: which version is live, its status. */
export interface JourneyHead {
  workspaceId: string;
  journeyId: string;
  status: JourneyStatus;
  latestVersion: number;
  publishedVersion: number | null;
  updatedAt: number;
}

export const EnrollmentState = z.enum(["active", "completed", "exited"]);
export type EnrollmentState = z.infer<typeof EnrollmentState>;

/** One person's trip through one version of a journey. */
export interface Enrollment {
  workspaceId: string;
  id: string;
  journeyId: string;
  version: number;
  profileId: string;
  state: EnrollmentState;
  /** The step the person is at (or last was at). */
  stepId: string | null;
  /** Counts arrivals at the current step, so a loop's second visit has its own idempotency key. */
  visit: number;
  /** Data later steps may use: the trigger event, events that arrived while waiting, split arms. */
  context: Record<string, unknown>;
  enteredAt: number;
  updatedAt: number;
  endedAt: number | null;
  exitReason: string | null;
  convertedAt: number | null;
  /** Optimistic-concurrency counter. */
  rev: number;
}
