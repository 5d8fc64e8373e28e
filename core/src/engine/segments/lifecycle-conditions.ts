import { lifecycleWindows, RFM_DEFAULTS, type LifecycleCondition, type RfmCondition } from "../../domain/segment.js";
import { durationMs, earliest, STABLE_FALSE, type EvaluationContext, type Verdict } from "./evaluation-context.js";
import { COARSE_RECHECK_MS, TIMELINE_LIMIT } from "./window-conditions.js";

type Stage = LifecycleCondition["stage"];

/**
 * The lifecycle stage now, and when it next changes with no new activity: new while the person was
 * first seen within the `new` window (profile created then, no activity dated earlier: imported
 * history counts); then active while the `minActivity`-th newest activity is inside the `active`
 * window; at risk while the newest is inside the `churned` window; churned after.
 */
export async function evaluateLifecycle(c: LifecycleCondition, ctx: EvaluationContext): Promise<Verdict> {
  const profile = await ctx.profile();
  if (!profile) return STABLE_FALSE;
  const w = lifecycleWindows(c);
  const now = ctx.now;
  if (profile.createdAt >= now - w.new && (await ctx.timeline(null, 0, undefined, 1, undefined, now - w.new)).length === 0) {
    return { value: c.stage === "new", nextCheck: profile.createdAt + w.new + 1 };
  }
  const k = c.minActivity;
  const points = await ctx.timeline(c.activityEvent ?? null, now - w.churned, undefined, k);
  let stage: Stage;
  let nextCheck: number | null;
  if (points.length >= k && points[k - 1]!.timestamp >= now - w.active) {
    stage = "active";
    nextCheck = points[k - 1]!.timestamp + w.active + 1;
  } else if (points.length > 0) {
    stage = "at_risk";
    nextCheck = points[0]!.timestamp + w.churned + 1;
  } else {
    stage = "churned";
    nextCheck = null;
  }
  return { value: stage === c.stage, nextCheck };
}

/** RFM scores 0–5 from the condition's thresholds (see RfmCondition), and when they next change. */
export async function evaluateRfm(c: RfmCondition, ctx: EvaluationContext): Promise<Verdict> {
  const w = durationMs(c.within);
  const from = ctx.now - w;
  const points = await ctx.timeline(c.event, from, undefined, TIMELINE_LIMIT, c.amount);
  const complete = points.length < TIMELINE_LIMIT;
  const count = complete ? points.length : await ctx.count(c.event, from, undefined);
  const sum = complete ? points.reduce((acc, p) => acc + p.value, 0) : await ctx.sum(c.event, from, undefined, c.amount);
  const recencies = (c.thresholds?.recency ?? RFM_DEFAULTS.recency).map(durationMs);
  const newest = points[0]?.timestamp ?? null;

  let recency = 0;
  let nextCheck: number | null = null;
  if (newest !== null) {
    const age = ctx.now - newest;
    const band = recencies.findIndex((r) => age <= r);
    recency = band === -1 ? 1 : 5 - band;
    // The score drops when the newest event crosses the next threshold, or leaves the window.
    if (c.recency) nextCheck = band === -1 ? newest + w + 1 : newest + recencies[band]! + 1;
  }
  const frequency = count === 0 ? 0 : 1 + (c.thresholds?.frequency ?? RFM_DEFAULTS.frequency).filter((t) => count >= t).length;
  const monetary = count === 0 ? 0 : 1 + (c.thresholds?.monetary ?? RFM_DEFAULTS.monetary).filter((t) => sum >= t).length;
  if ((c.frequency || c.monetary) && points.length > 0) {
    nextCheck = earliest(nextCheck, complete ? points.at(-1)!.timestamp + w + 1 : ctx.now + COARSE_RECHECK_MS);
  }
  const value = inRange(recency, c.recency) && inRange(frequency, c.frequency) && inRange(monetary, c.monetary);
  return { value, nextCheck };
}

function inRange(score: number, range: { gte?: number | undefined; lte?: number | undefined } | undefined): boolean {
  return !range || ((range.gte === undefined || score >= range.gte) && (range.lte === undefined || score <= range.lte));
}
