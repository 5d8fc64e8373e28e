import { z } from "zod";

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** The operators of `compare()` (engine/compare.ts), shared with trigger filters. */
const Op = z.enum(["eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "exists"]);
const Value = z.union([Scalar, z.array(Scalar)]).optional();

/** A profile trait (dot path into traits) compared with a value. */
export const TraitBranchCondition = z.object({ type: z.literal("trait"), trait: z.string().min(1), op: Op, value: Value });

/**
 * A property of an event: the trigger event by default, or the event that ended a wait-for-event step
 * (`from` names that step).
 */
export const EventBranchCondition = z.object({
  type: z.literal("event"),
  property: z.string().min(1),
  op: Op,
  value: Value,
  from: z.string().min(1).optional(),
});

export const SegmentBranchCondition = z.object({
  type: z.literal("segment"),
  segment: z.string().min(1),
  /** false: the person is NOT in the segment. */
  member: z.boolean().default(true),
});

/**
 * What happened to a message this enrollment sent: the last one by default, or the one of a send step.
 * Clicks come back as `message_clicked` events carrying the message id (see docs/journeys.md).
 */
export const EngagementBranchCondition = z.object({
  type: z.literal("engagement"),
  action: z.enum(["sent", "delivered", "clicked", "failed", "suppressed"]),
  step: z.string().min(1).optional(),
});

export type BranchCondition =
  | z.infer<typeof TraitBranchCondition>
  | z.infer<typeof EventBranchCondition>
  | z.infer<typeof SegmentBranchCondition>
  | z.infer<typeof EngagementBranchCondition>
  | { type: "all"; conditions: BranchCondition[] }
  | { type: "any"; conditions: BranchCondition[] }
  | { type: "not"; condition: BranchCondition };

export type BranchConditionInput =
  | z.input<typeof TraitBranchCondition>
  | z.input<typeof EventBranchCondition>
  | z.input<typeof SegmentBranchCondition>
  | z.input<typeof EngagementBranchCondition>
  | { type: "all"; conditions: BranchConditionInput[] }
  | { type: "any"; conditions: BranchConditionInput[] }
  | { type: "not"; condition: BranchConditionInput };

/** Conditions of a branch step: over traits, event properties, segment membership and engagement. */
export const BranchCondition: z.ZodType<BranchCondition, BranchConditionInput> = z.lazy(() =>
  z.discriminatedUnion("type", [
    TraitBranchCondition,
    EventBranchCondition,
    SegmentBranchCondition,
    EngagementBranchCondition,
    z.object({ type: z.literal("all"), conditions: z.array(BranchCondition).min(1) }),
    z.object({ type: z.literal("any"), conditions: z.array(BranchCondition).min(1) }),
    z.object({ type: z.literal("not"), condition: BranchCondition }),
  ]),
) as z.ZodType<BranchCondition, BranchConditionInput>;

/** The event a message click comes back as (the click redirect tracks it with `messageId`). */
export const MESSAGE_CLICKED_EVENT = "message_clicked";
