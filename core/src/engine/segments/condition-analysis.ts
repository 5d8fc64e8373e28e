import { CLICK_EVENT, durationMs, lifecycleWindows, type PropertyFilter, type SegmentCondition } from "../../domain/segment.js";
import { timelineKey, type ReadHint } from "./timeline-reads.js";
import { clickFilters, countLimit, TIMELINE_LIMIT } from "./window-conditions.js";

/**
 * What a condition tree reads, found by walking it once when the definitions are indexed: what can
 * change it, which way one more event moves it, and the window reads it makes.
 */

/** What can change one segment's membership for a person. */
export interface SegmentDeps {
  /** Top-level trait names ("address" for address.city). */
  traits: Set<string>;
  events: Set<string>;
  /** Any event counts (lifecycle without an activityEvent). */
  anyEvent: boolean;
  received: boolean;
  converted: boolean;
  segments: Set<string>;
}

/** Causes other than events and traits. */
export type SegmentCause = "received" | "converted";

/**
 * How one more event of a name can move a segment: only towards member ("up": "did purchase at least
 * twice"), only away from it ("down": "did not log in"), or either way ("mixed": sums, exact counts).
 * Time works the other way round (events age out of windows): an "up" segment's non-member cannot
 * become a member with time, and a non-member of a "down" one always has a flip ahead, hence a timer.
 * "band" ("at risk", between active and churned): the event can only take a member out; a non-member
 * stays out, and only one with no flip ahead (churned) gets one from it.
 */
export type Polarity = "up" | "down" | "band" | "mixed";

/** The key under which "any event" is recorded. */
export const ANY_EVENT = "*";

export function depsOf(c: SegmentCondition, deps: SegmentDeps = emptyDeps()): SegmentDeps {
  switch (c.type) {
    case "trait":
      deps.traits.add(c.trait.split(".")[0]!);
      break;
    case "event":
      deps.events.add(c.event);
      break;
    case "engagement":
      if (c.action === "clicked") deps.events.add(CLICK_EVENT);
      else deps[c.action] = true;
      break;
    case "segment":
      deps.segments.add(c.segment);
      break;
    case "lifecycle":
      // "new" starts with the profile (evaluated when it is created); the rest follows activity.
      if (c.activityEvent === undefined) deps.anyEvent = true;
      else deps.events.add(c.activityEvent);
      break;
    case "rfm":
      deps.events.add(c.event);
      break;
    case "bucket":
      break; // fixed per person: evaluated when the profile is created
    case "not":
      depsOf(c.condition, deps);
      break;
    case "and":
    case "or":
      for (const child of c.conditions) depsOf(child, deps);
      break;
  }
  return deps;
}

/** Per event name, the direction one more event moves the condition; "mixed" wherever it is not monotone. */
export function polaritiesOf(c: SegmentCondition, sign: 1 | -1 = 1, out = new Map<string, Polarity>()): Map<string, Polarity> {
  const note = (name: string, dir: 1 | -1 | 0 | "band") => {
    const p: Polarity = dir === "band" ? (sign > 0 ? "band" : "mixed") : dir === 0 ? "mixed" : dir * sign > 0 ? "up" : "down";
    const seen = out.get(name);
    out.set(name, seen === undefined || seen === p ? p : "mixed");
  };
  switch (c.type) {
    case "event":
      if (c.measure !== "count") note(c.event, 0); // amounts may be negative (refunds)
      else if (c.op === "gte" || c.op === "gt") note(c.event, 1);
      else if (c.op === "lt" || c.op === "lte" || c.value === 0) note(c.event, -1);
      else note(c.event, 0);
      break;
    case "engagement":
      if (c.action === "clicked") note(CLICK_EVENT, 1);
      break;
    case "lifecycle":
      // Activity moves towards active, time away from it. With one activity needed, a current event
      // makes anyone active, so "at risk" is a band; with more, a churned person may become at risk.
      note(c.activityEvent ?? ANY_EVENT, c.stage === "active" ? 1 : c.stage !== "at_risk" ? -1 : c.minActivity === 1 ? "band" : 0);
      break;
    case "rfm": {
      // A new event raises recency and frequency; monetary only for positive amounts.
      const ranges = [c.recency, c.frequency].filter((r) => r !== undefined);
      const up = ranges.every((r) => r.lte === undefined);
      const down = ranges.every((r) => r.gte === undefined);
      note(c.event, c.monetary ? 0 : up ? 1 : down ? -1 : 0);
      break;
    }
    case "not":
      polaritiesOf(c.condition, sign === 1 ? -1 : 1, out);
      break;
    case "and":
    case "or":
      for (const child of c.conditions) polaritiesOf(child, sign, out);
      break;
    default:
      break;
  }
  return out;
}

/** Records the timeline reads a condition makes, widened into `hints`. */
export function hintsOf(c: SegmentCondition, hints: Map<string, ReadHint>): void {
  const note = (name: string | null, where: PropertyFilter[] | undefined, window: number, limit: number, sumOf?: string) => {
    if (limit <= 0 || limit > TIMELINE_LIMIT) return;
    const key = timelineKey(name, where);
    const h = hints.get(key);
    if (!h) {
      hints.set(key, { window, limit, sumOf });
      return;
    }
    h.window = Math.max(h.window, window);
    h.limit = Math.max(h.limit, limit);
    // Two different summed properties cannot share a read: sums then read on their own.
    if (sumOf !== undefined) h.sumOf = h.sumOf === undefined || h.sumOf === sumOf ? sumOf : undefined;
  };
  switch (c.type) {
    case "event":
      if (c.measure === "count") note(c.event, c.where, durationMs(c.within), countLimit(c.op, c.value));
      else note(c.event, c.where, durationMs(c.within), TIMELINE_LIMIT, c.measure.sum);
      break;
    case "engagement":
      if (c.action === "clicked") note(CLICK_EVENT, clickFilters(c), durationMs(c.within), 1);
      break;
    case "lifecycle":
      note(c.activityEvent ?? null, undefined, lifecycleWindows(c).churned, c.minActivity);
      break;
    case "rfm":
      note(c.event, undefined, durationMs(c.within), TIMELINE_LIMIT, c.amount);
      break;
    case "not":
      hintsOf(c.condition, hints);
      break;
    case "and":
    case "or":
      for (const child of c.conditions) hintsOf(child, hints);
      break;
    default:
      break;
  }
}

function emptyDeps(): SegmentDeps {
  return { traits: new Set(), events: new Set(), anyEvent: false, received: false, converted: false, segments: new Set() };
}
