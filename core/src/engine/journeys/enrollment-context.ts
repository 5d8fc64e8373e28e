import { DateTime } from "luxon";
import type { NudgeEvent } from "../../domain/event.js";
import type { Enrollment } from "../../domain/journey.js";
import type { Profile } from "../../domain/profile.js";
import type { TemplateScope } from "../../template/renderer.js";
import { profileScope } from "./scope.js";

/** An event as templates and branch conditions see it. */
export interface EventScope {
  name: string;
  properties: Record<string, unknown>;
  timestamp: string;
  messageId: string;
}

/**
 * What an enrollment remembers (its `context`), all JSON so any store can keep it:
 * the trigger event, the events that ended waits, split arms, webhook answers, the messages sent,
 * and the ledger of effects started (webhooks, increments) that must not be repeated.
 */
export interface JourneyContext {
  trigger?: EventScope;
  /** Data a trigger source or an enter-journey step passed in. */
  vars?: Record<string, unknown>;
  visits?: Record<string, number>;
  /** wait-for-event step id -> the event that ended the wait. */
  events?: Record<string, EventScope>;
  lastEvent?: EventScope;
  /** wait-for-event step id -> true when it timed out. */
  timeouts?: Record<string, boolean>;
  /** split step id -> arm name ("holdout" for the control group). */
  splits?: Record<string, string>;
  /** branch step id -> the path taken (its name, index, or "otherwise"). */
  branches?: Record<string, string>;
  webhooks?: Record<string, { status: number | null; body?: unknown; error?: string }>;
  /** send step id -> idempotency key of its latest message. */
  messages?: Record<string, string>;
  lastMessage?: string;
  /** effect key -> what was started, written before the effect happens. */
  effects?: Record<string, Record<string, unknown>>;
}

export function ctx(e: Enrollment): JourneyContext {
  return e.context as JourneyContext;
}

export function eventScope(e: NudgeEvent): EventScope {
  return { name: e.name, properties: e.properties, timestamp: new Date(e.timestamp).toISOString(), messageId: e.messageId };
}

/** The idempotency key of the current step's effect: (enrollment, step, visit). */
export function effectKey(e: Pick<Enrollment, "id" | "stepId" | "visit">): string {
  return `${e.id}:${e.stepId}:${e.visit}`;
}

/** Merges one level deep: `{ events: { a } }` into `{ events: { b } }` keeps both. */
export function mergeContext(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const prev = out[k];
    out[k] =
      v !== null && typeof v === "object" && !Array.isArray(v) && prev !== null && typeof prev === "object" && !Array.isArray(prev)
        ? { ...(prev as Record<string, unknown>), ...(v as Record<string, unknown>) }
        : v;
  }
  return out;
}

/**
 * What templates see: `profile`, `event` (the trigger event), `journey` (ids, the events that ended
 * waits under `journey.events.<step>`, split arms, webhook answers), `vars` and `now`.
 */
export function templateScope(e: Enrollment, profile: Profile, now: number): TemplateScope {
  const c = ctx(e);
  return {
    profile: profileScope(profile),
    event: (c.trigger as unknown as Record<string, unknown> | undefined) ?? {},
    journey: {
      id: e.journeyId,
      version: e.version,
      stepId: e.stepId,
      enrollmentId: e.id,
      enteredAt: new Date(e.enteredAt).toISOString(),
      events: c.events ?? {},
      lastEvent: c.lastEvent ?? null,
      splits: c.splits ?? {},
      webhooks: c.webhooks ?? {},
    },
    vars: c.vars ?? {},
    now: DateTime.fromMillis(now, { zone: "utc" }).toISO()!,
  };
}
