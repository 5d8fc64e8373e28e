import { CLICK_EVENT, type EngagementCondition, type EventCondition, type PropertyFilter } from "../../domain/segment.js";
import { compare } from "../compare.js";
import { durationMs, STABLE_FALSE, type EvaluationContext, type Verdict } from "./evaluation-context.js";

/** Points read to find a threshold or a flip instant; beyond it, counts come from count() and time checks are hourly. */
export const TIMELINE_LIMIT = 1_000;
export const COARSE_RECHECK_MS = 60 * 60_000;

/**
 * "At least k matching events in the window" can only fall as time passes, and it falls exactly when
 * the k-th newest event leaves the window. Every count comparison is one or two such facts.
 */
interface AtLeast {
  (k: number): boolean;
  /** The instant the k-th newest event leaves the window. */
  expiry(k: number): number;
}

/** How many newest events a count comparison must see to decide, and to know when it flips. */
export function countLimit(op: EventCondition["op"], v: number): number {
  return op === "eq" || op === "gt" || op === "lte" ? Math.floor(v) + 1 : Math.ceil(v);
}

/** The property filters a `clicked` condition reads CLICK_EVENT with. */
export function clickFilters(c: EngagementCondition): PropertyFilter[] {
  const where: PropertyFilter[] = [];
  if (c.journeyId !== undefined) where.push({ property: "journeyId", op: "eq", value: c.journeyId });
  if (c.channel !== undefined) where.push({ property: "channel", op: "eq", value: c.channel });
  return where;
}

export async function evaluateEvent(c: EventCondition, ctx: EvaluationContext): Promise<Verdict> {
  const w = durationMs(c.within);
  const from = ctx.now - w;
  if (c.measure !== "count") return evaluateSum(c, c.measure.sum, from, w, ctx);
  const v = c.value;
  const needed = countLimit(c.op, v);
  if (needed > TIMELINE_LIMIT) {
    const n = await ctx.count(c.event, from, c.where);
    return { value: compare(n, c.op, v), nextCheck: n > 0 ? ctx.now + COARSE_RECHECK_MS : null };
  }
  const points = needed > 0 ? await ctx.timeline(c.event, from, c.where, needed) : [];
  const atLeast = ((k: number) => k <= 0 || points.length >= k) as AtLeast;
  atLeast.expiry = (k) => points[k - 1]!.timestamp + w + 1;
  return countVerdict(c.op, v, atLeast);
}

function countVerdict(op: EventCondition["op"], v: number, atLeast: AtLeast): Verdict {
  switch (op) {
    case "gte":
    case "gt": {
      const k = op === "gte" ? Math.ceil(v) : Math.floor(v) + 1;
      if (!atLeast(k)) return STABLE_FALSE;
      return { value: true, nextCheck: k <= 0 ? null : atLeast.expiry(k) };
    }
    case "lt":
    case "lte": {
      const k = op === "lt" ? Math.ceil(v) : Math.floor(v) + 1;
      if (k <= 0) return STABLE_FALSE;
      return atLeast(k) ? { value: false, nextCheck: atLeast.expiry(k) } : { value: true, nextCheck: null };
    }
    case "eq": {
      if (!Number.isInteger(v)) return STABLE_FALSE;
      if (atLeast(v + 1)) return { value: false, nextCheck: atLeast.expiry(v + 1) };
      if (!atLeast(v)) return STABLE_FALSE;
      return { value: true, nextCheck: v === 0 ? null : atLeast.expiry(v) };
    }
  }
}

/** Sums may hold negative amounts (refunds), so any event leaving the window may flip them. */
async function evaluateSum(c: EventCondition, property: string, from: number, w: number, ctx: EvaluationContext): Promise<Verdict> {
  const points = await ctx.timeline(c.event, from, c.where, TIMELINE_LIMIT, property);
  const complete = points.length < TIMELINE_LIMIT;
  const total = complete ? points.reduce((acc, p) => acc + p.value, 0) : await ctx.sum(c.event, from, c.where, property);
  const value = compare(total, c.op, c.value);
  if (points.length === 0) return { value, nextCheck: null };
  return { value, nextCheck: complete ? points.at(-1)!.timestamp + w + 1 : ctx.now + COARSE_RECHECK_MS };
}

/** Message engagement in a window. */
export async function evaluateEngagement(c: EngagementCondition, ctx: EvaluationContext): Promise<Verdict> {
  const w = durationMs(c.within);
  const since = ctx.now - w;
  switch (c.action) {
    case "clicked":
      return evaluateEvent({ type: "event", event: CLICK_EVENT, within: c.within, where: clickFilters(c), measure: "count", op: "gte", value: 1 }, ctx);
    case "received": {
      const { ws, messages } = ctx.stores;
      const page = await messages.list(ws, { profileId: ctx.profileId, limit: 50, ...(c.journeyId ? { journeyId: c.journeyId } : {}), ...(c.channel ? { channel: c.channel } : {}) });
      let last: number | null = null;
      for (const m of page.items) {
        if ((m.status === "sent" || m.status === "delivered") && m.sentAt !== null && m.sentAt >= since) last = Math.max(last ?? 0, m.sentAt);
      }
      if (last !== null) return { value: true, nextCheck: last + w + 1 };
      if (page.nextCursor === null) return STABLE_FALSE;
      // More than a page of messages and none recent among them: ask the count, re-check coarsely.
      const n = await messages.countSent(ws, { profileId: ctx.profileId, since, ...(c.journeyId ? { journeyId: c.journeyId } : {}), ...(c.channel ? { channel: c.channel } : {}) });
      return n > 0 ? { value: true, nextCheck: ctx.now + COARSE_RECHECK_MS } : STABLE_FALSE;
    }
    case "converted": {
      const { ws, enrollments } = ctx.stores;
      const list = await enrollments.listByProfile(ws, ctx.profileId, c.journeyId !== undefined ? { journeyId: c.journeyId } : {});
      let last: number | null = null;
      for (const e of list) if (e.convertedAt !== null && e.convertedAt >= since) last = Math.max(last ?? 0, e.convertedAt);
      return last === null ? STABLE_FALSE : { value: true, nextCheck: last + w + 1 };
    }
  }
}
