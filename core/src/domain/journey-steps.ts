import { IANAZone } from "luxon";
import { z } from "zod";
import { IsoDuration, JsonRecord } from "./common.js";
import { PropertyFilter } from "./segment.js";
import { BranchCondition } from "./journey-conditions.js";

export const StepId = z.string().min(1).max(100).regex(/^[A-Za-z0-9_.-]+$/, { message: "letters, digits, _ . - only" });

const base = {
  id: StepId,
  /** The step that follows; absent means the journey ends here. */
  next: StepId.optional(),
};

/** 24-hour local time of day, "10:00". */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a 24-hour time such as 10:00" });
export const Weekday = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);
export type Weekday = z.infer<typeof Weekday>;

/** Whose clock: the recipient's zone (falling back to the workspace's), the workspace's, or an IANA zone. */
export const ZoneChoice = z
  .string()
  .min(1)
  .refine((z) => z === "recipient" || z === "workspace" || IANAZone.isValidZone(z), {
    message: 'must be "recipient", "workspace" or an IANA time zone such as Asia/Seoul',
  });

/** Content for one channel: its fields are Liquid templates, checked against the channel's schema once rendered. */
export const ChannelContent = z.object({
  channel: z.string().min(1),
  content: JsonRecord.optional(),
  /** A stored template id instead of inline content. */
  template: z.string().min(1).optional(),
});
export type ChannelContent = z.infer<typeof ChannelContent>;

export const SendStep = z
  .object({
    ...base,
    type: z.literal("send"),
    channel: z.string().min(1),
    content: JsonRecord.optional(),
    template: z.string().min(1).optional(),
    /** Channels tried in order when the previous one fails permanently or cannot reach the person. */
    fallback: z.array(ChannelContent).default([]),
    /** Marketing messages need consent and follow advertising rules; transactional ones do not. */
    /** Omitted: transactional unless a channel classifies the content as advertising (then marketing). */
    marketing: z.boolean().optional(),
    topic: z.string().min(1).optional(),
  })
  .refine((s) => s.content !== undefined || s.template !== undefined, {
    message: "a send step needs content or template",
    path: ["content"],
  });

/** Until the next local time of day, optionally only on some weekdays and no sooner than `after`. */
export const WaitUntilTime = z.object({
  time: LocalTime,
  days: z.array(Weekday).min(1).optional(),
  after: IsoDuration.optional(),
  zone: ZoneChoice.default("recipient"),
});

/** Until a date kept in a trait, shifted by `before` or `after`, optionally at a local time that day. */
export const WaitUntilTrait = z.object({
  name: z.string().min(1),
  before: IsoDuration.optional(),
  after: IsoDuration.optional(),
  time: LocalTime.optional(),
  zone: ZoneChoice.default("recipient"),
});

const WAIT_KINDS = ["duration", "until", "at", "trait"] as const;

export const WaitStep = z
  .object({
    ...base,
    type: z.literal("wait"),
    /** ISO 8601 duration, e.g. PT1H, P3D. */
    duration: IsoDuration.optional(),
    until: WaitUntilTime.optional(),
    /** A fixed instant (ISO 8601 with offset). */
    at: z.iso.datetime({ offset: true }).optional(),
    trait: WaitUntilTrait.optional(),
    /** A moment already past (or a trait missing): go on at once, or leave the journey. */
    ifPast: z.enum(["continue", "exit"]).default("continue"),
  })
  .refine((s) => WAIT_KINDS.filter((k) => s[k] !== undefined).length === 1, {
    message: "a wait step needs exactly one of duration, until, at, trait",
    path: ["duration"],
  });

export const AwaitedEvent = z.object({
  event: z.string().min(1),
  where: z.array(PropertyFilter).optional(),
  next: StepId.optional(),
});

/** Up to `timeout` for one of several events; the first to happen wins. */
export const WaitForEventStep = z.object({
  id: StepId,
  type: z.literal("wait-for-event"),
  events: z.array(AwaitedEvent).min(1),
  timeout: IsoDuration,
  onTimeout: StepId.optional(),
});

export const BranchStep = z.object({
  id: StepId,
  type: z.literal("branch"),
  /** Tried in order; the first whose condition holds is taken. */
  paths: z.array(z.object({ name: z.string().min(1).optional(), when: BranchCondition, next: StepId.optional() })).min(1),
  otherwise: StepId.optional(),
});

const Percent = z.number().gt(0).max(100);

export const SplitStep = z
  .object({
    id: StepId,
    type: z.literal("split"),
    paths: z.array(z.object({ name: z.string().min(1), percent: Percent, next: StepId.optional() })).min(1),
    /** A control group that gets nothing from here on; absent `next` ends their journey. */
    holdout: z.object({ percent: Percent, next: StepId.optional() }).optional(),
  })
  .superRefine((s, ctx) => {
    const total = s.paths.reduce((a, p) => a + p.percent, 0) + (s.holdout?.percent ?? 0);
    if (Math.abs(total - 100) > 1e-9) ctx.addIssue({ code: "custom", path: ["paths"], message: `percentages add up to ${total}, not 100` });
    const names = new Set<string>();
    s.paths.forEach((p, i) => {
      if (names.has(p.name) || p.name === "holdout") ctx.addIssue({ code: "custom", path: ["paths", i, "name"], message: `duplicate or reserved path name "${p.name}"` });
      names.add(p.name);
    });
  });

export const UpdateProfileStep = z
  .object({
    ...base,
    type: z.literal("update-profile"),
    /** String values are Liquid templates. */
    set: JsonRecord.optional(),
    unset: z.array(z.string().min(1)).optional(),
    increment: z.record(z.string(), z.number()).optional(),
  })
  .refine((s) => s.set !== undefined || s.unset !== undefined || s.increment !== undefined, {
    message: "an update-profile step needs set, unset or increment",
    path: ["set"],
  });

export const WebhookStep = z.object({
  ...base,
  type: z.literal("webhook"),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
  /** JSON body; string values are Liquid templates. */
  body: JsonRecord.optional(),
  timeout: IsoDuration.default("PT10S"),
  retries: z.number().int().min(0).max(10).default(3),
  /** Where to go when every try failed; `next` when absent. */
  onFailure: StepId.optional(),
});

export const EmitEventStep = z.object({
  ...base,
  type: z.literal("emit-event"),
  event: z.string().min(1).max(200),
  /** String values are Liquid templates. */
  properties: JsonRecord.optional(),
});

export const EnterJourneyStep = z.object({
  ...base,
  type: z.literal("enter-journey"),
  journey: z.string().min(1),
});

export const ExitStep = z.object({ id: StepId, type: z.literal("exit"), reason: z.string().optional() });

/** Steps the runtime knows. A new kind is added here and as engine/journeys/steps/<kind>.step.ts. */
export const Step = z.discriminatedUnion("type", [
  SendStep,
  WaitStep,
  WaitForEventStep,
  BranchStep,
  SplitStep,
  UpdateProfileStep,
  WebhookStep,
  EmitEventStep,
  EnterJourneyStep,
  ExitStep,
]);
export type Step = z.infer<typeof Step>;
export type StepType = Step["type"];
export type StepOf<T extends StepType> = Extract<Step, { type: T }>;

/** Every step id a step may lead to, with the path of the field naming it (for error messages). */
export function stepTargets(step: Step): { path: (string | number)[]; id: string }[] {
  const out: { path: (string | number)[]; id: string }[] = [];
  const add = (id: string | undefined, ...path: (string | number)[]) => {
    if (id !== undefined) out.push({ path, id });
  };
  if ("next" in step) add(step.next, "next");
  switch (step.type) {
    case "wait-for-event":
      step.events.forEach((e, i) => add(e.next, "events", i, "next"));
      add(step.onTimeout, "onTimeout");
      break;
    case "branch":
      step.paths.forEach((p, i) => add(p.next, "paths", i, "next"));
      add(step.otherwise, "otherwise");
      break;
    case "split":
      step.paths.forEach((p, i) => add(p.next, "paths", i, "next"));
      add(step.holdout?.next, "holdout", "next");
      break;
    case "webhook":
      add(step.onFailure, "onFailure");
      break;
    default:
      break;
  }
  return out;
}
