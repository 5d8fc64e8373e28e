import { z } from "zod";
import { Duration } from "luxon";
import { IsoDuration } from "./common.js";

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Value = z.union([Scalar, z.array(Scalar)]);

/** Ops whose `value` is the thing compared against. */
const VALUE_OPS = new Set(["eq", "neq", "gt", "gte", "lt", "lte", "in", "contains"]);

/** A date a trait is compared with: ISO 8601 with an offset, or epoch ms. */
export function parseDateValue(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

function checkValue(c: { op: string; value?: unknown }, ctx: z.RefinementCtx): void {
  if (VALUE_OPS.has(c.op) && c.value === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: `op "${c.op}" needs a value` });
  if (c.op === "in" && c.value !== undefined && !Array.isArray(c.value)) ctx.addIssue({ code: "custom", path: ["value"], message: 'op "in" needs an array' });
  if (c.op === "exists" && c.value !== undefined) ctx.addIssue({ code: "custom", path: ["value"], message: 'op "exists" takes no value' });
}

/**
 * A comparison over one profile trait (dot path into traits). Dates: `before` / `after` compare with
 * a fixed date (`value`) or with now minus `duration` ("signed up more than P30D ago"); `within` is
 * true while the date is at most `duration` away from now, in the past or the future.
 */
export const TraitCondition = z
  .object({
    type: z.literal("trait"),
    trait: z.string().min(1),
    op: z.enum(["eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "exists", "before", "after", "within"]),
    value: Value.optional(),
    duration: IsoDuration.optional(),
  })
  .superRefine((c, ctx) => {
    checkValue(c, ctx);
    if (c.op === "before" || c.op === "after") {
      if ((c.value === undefined) === (c.duration === undefined)) {
        ctx.addIssue({ code: "custom", path: ["value"], message: `op "${c.op}" needs either a date value or a duration` });
      } else if (c.value !== undefined && parseDateValue(c.value) === null) {
        ctx.addIssue({ code: "custom", path: ["value"], message: "must be an ISO 8601 date or epoch milliseconds" });
      }
    }
    if (c.op === "within" && c.duration === undefined) ctx.addIssue({ code: "custom", path: ["duration"], message: 'op "within" needs a duration' });
  });

export const PropertyFilter = z
  .object({
    property: z.string().min(1),
    op: z.enum(["eq", "neq", "gt", "gte", "lt", "lte", "in", "contains", "exists"]),
    value: Value.optional(),
  })
  .superRefine(checkValue);
export type PropertyFilter = z.infer<typeof PropertyFilter>;

/** "did `purchase` at least 2 times in the last 30 days" / "did not `login` in the last 14 days" (op eq, value 0). */
export const EventCondition = z.object({
  type: z.literal("event"),
  event: z.string().min(1),
  where: z.array(PropertyFilter).optional(),
  within: IsoDuration,
  /** count (default) or the sum of a numeric property. */
  measure: z.union([z.literal("count"), z.object({ sum: z.string().min(1) })]).default("count"),
  op: z.enum(["gte", "gt", "lte", "lt", "eq"]).default("gte"),
  value: z.number().nonnegative().default(1),
});

/**
 * Message engagement in a window: `received` (sent or delivered, from the message log), `clicked`
 * (a CLICK_EVENT event), `converted` (an enrollment's conversion; by journey only).
 */
export const EngagementCondition = z
  .object({
    type: z.literal("engagement"),
    action: z.enum(["received", "clicked", "converted"]),
    journeyId: z.string().optional(),
    channel: z.string().optional(),
    within: IsoDuration,
  })
  .refine((c) => !(c.action === "converted" && c.channel !== undefined), {
    message: "a conversion belongs to a journey, not a channel: filter by journeyId",
    path: ["channel"],
  });

/** The event that records a tracked link click; properties: messageId, journeyId, channel. */
export const CLICK_EVENT = "message_clicked";

export const BucketCondition = z
  .object({
    type: z.literal("bucket"),
    /** Stable random bucket 0–9999 per person; [from, to). The same salt gives the same bucket everywhere. */
    from: z.number().int().min(0).max(10000),
    to: z.number().int().min(0).max(10000),
    salt: z.string().optional(),
  })
  .refine((c) => c.from < c.to, { message: "from must be less than to", path: ["to"] });

export const MemberOfCondition = z.object({ type: z.literal("segment"), segment: z.string().min(1) });

const durations = new Map<string, number>();
/** An ISO 8601 duration in ms (luxon: a month is 30 days, a year 365), cached: evaluation repeats them. */
export function durationMs(iso: string): number {
  let v = durations.get(iso);
  if (v === undefined) durations.set(iso, (v = Duration.fromISO(iso).toMillis()));
  return v;
}
const ms = durationMs;
export const LIFECYCLE_DEFAULTS = { new: "P7D", active: "P30D", churned: "P90D" } as const;

/** A lifecycle condition's windows with defaults filled in, in ms. */
export function lifecycleWindows(c: { windows?: { new?: string | undefined; active?: string | undefined; churned?: string | undefined } | undefined }) {
  return {
    new: ms(c.windows?.new ?? LIFECYCLE_DEFAULTS.new),
    active: ms(c.windows?.active ?? LIFECYCLE_DEFAULTS.active),
    churned: ms(c.windows?.churned ?? LIFECYCLE_DEFAULTS.churned),
  };
}

/**
 * Lifecycle stages, mutually exclusive: new (first seen within `new`), active (at least `minActivity`
 * activity events within `active`), at_risk (some activity within `churned` but not active), churned.
 * Activity is `activityEvent`, or any event when absent.
 */
export const LifecycleCondition = z
  .object({
    type: z.literal("lifecycle"),
    stage: z.enum(["new", "active", "at_risk", "churned"]),
    activityEvent: z.string().optional(),
    minActivity: z.number().int().positive().default(1),
    windows: z
      .object({ new: IsoDuration.optional(), active: IsoDuration.optional(), churned: IsoDuration.optional() })
      .optional(),
  })
  .superRefine((c, ctx) => {
    const w = lifecycleWindows(c);
    if (w.active >= w.churned) ctx.addIssue({ code: "custom", path: ["windows", "active"], message: "the active window must be shorter than the churned window" });
    if (c.minActivity > 1 && c.activityEvent === undefined) {
      ctx.addIssue({ code: "custom", path: ["activityEvent"], message: "minActivity above 1 needs an activityEvent" });
    }
  });

const ScoreRange = z
  .object({ gte: z.number().int().min(0).max(5).optional(), lte: z.number().int().min(0).max(5).optional() })
  .refine((r) => r.gte !== undefined || r.lte !== undefined, { message: "give gte, lte or both" });

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

/**
 * RFM scores 0–5 from fixed thresholds (0: no `event` in `within`). Recency thresholds are durations
 * for scores 5, 4, 3, 2; frequency and monetary thresholds are the minimums for scores 2, 3, 4, 5.
 */
export const RfmCondition = z
  .object({
    type: z.literal("rfm"),
    event: z.string().min(1).default("purchase"),
    /** The numeric event property summed for the monetary score. */
    amount: z.string().min(1).default("amount"),
    within: IsoDuration.default("P365D"),
    recency: ScoreRange.optional(),
    frequency: ScoreRange.optional(),
    monetary: ScoreRange.optional(),
    thresholds: z
      .object({
        recency: z.array(IsoDuration).length(4).refine((d) => ascending(d.map(ms)), "must be increasing").optional(),
        frequency: z.array(z.number().int().positive()).length(4).refine(ascending, "must be increasing").optional(),
        monetary: z.array(z.number().positive()).length(4).refine(ascending, "must be increasing").optional(),
      })
      .optional(),
  })
  .refine((c) => c.recency || c.frequency || c.monetary, { message: "give at least one of recency, frequency, monetary", path: ["recency"] });
export const RFM_DEFAULTS = {
  recency: ["P7D", "P30D", "P90D", "P180D"],
  frequency: [2, 4, 8, 16],
  monetary: [10_000, 50_000, 100_000, 500_000],
} as const;

export type TraitCondition = z.infer<typeof TraitCondition>;
export type EventCondition = z.infer<typeof EventCondition>;
export type EngagementCondition = z.infer<typeof EngagementCondition>;
export type BucketCondition = z.infer<typeof BucketCondition>;
export type MemberOfCondition = z.infer<typeof MemberOfCondition>;
export type LifecycleCondition = z.infer<typeof LifecycleCondition>;
export type RfmCondition = z.infer<typeof RfmCondition>;

export type SegmentCondition =
  | TraitCondition
  | EventCondition
  | EngagementCondition
  | BucketCondition
  | MemberOfCondition
  | LifecycleCondition
  | RfmCondition
  | { type: "and"; conditions: SegmentCondition[] }
  | { type: "or"; conditions: SegmentCondition[] }
  | { type: "not"; condition: SegmentCondition };

/** What callers write: defaulted fields may be left out. */
export type SegmentConditionInput =
  | z.input<typeof TraitCondition>
  | z.input<typeof EventCondition>
  | z.input<typeof EngagementCondition>
  | z.input<typeof BucketCondition>
  | z.input<typeof MemberOfCondition>
  | z.input<typeof LifecycleCondition>
  | z.input<typeof RfmCondition>
  | { type: "and"; conditions: SegmentConditionInput[] }
  | { type: "or"; conditions: SegmentConditionInput[] }
  | { type: "not"; condition: SegmentConditionInput };

export const SegmentCondition: z.ZodType<SegmentCondition, SegmentConditionInput> = z.lazy(() =>
  z.discriminatedUnion("type", [
    TraitCondition,
    EventCondition,
    EngagementCondition,
    BucketCondition,
    MemberOfCondition,
    LifecycleCondition,
    RfmCondition,
    z.object({ type: z.literal("and"), conditions: z.array(SegmentCondition).min(1) }),
    z.object({ type: z.literal("or"), conditions: z.array(SegmentCondition).min(1) }),
    z.object({ type: z.literal("not"), condition: SegmentCondition }),
  ]),
) as z.ZodType<SegmentCondition, SegmentConditionInput>;

export const SegmentDefinition = z.object({
  id: z.string().min(1).max(200).regex(/^[A-Za-z0-9_.:-]+$/, { message: "letters, digits, _ . : - only" }),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  condition: SegmentCondition,
});
export type SegmentDefinition = z.infer<typeof SegmentDefinition>;
export type SegmentDefinitionInput = z.input<typeof SegmentDefinition>;

/** A definition not saved yet, for audience estimates. */
export const SegmentDraft = z.object({ condition: SegmentCondition });
export type SegmentDraft = z.infer<typeof SegmentDraft>;
export type SegmentDraftInput = z.input<typeof SegmentDraft>;
