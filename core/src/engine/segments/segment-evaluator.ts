import { injectable } from "tsyringe";
import type { SegmentCondition } from "../../domain/segment.js";
import { earliest, type EvaluationContext, type Verdict } from "./evaluation-context.js";
import { evaluateLifecycle, evaluateRfm } from "./lifecycle-conditions.js";
import { evaluateBucket, evaluateTrait } from "./trait-conditions.js";
import { evaluateEngagement, evaluateEvent } from "./window-conditions.js";

/**
 * Evaluates a condition tree for one person at one instant. Besides the value it returns the earliest
 * instant the value can change with no new event or trait (a window emptying, a date passing), so the
 * caller can schedule one timer for that instant instead of re-scanning everyone periodically.
 */
@injectable()
export class SegmentEvaluator {
  async evaluate(c: SegmentCondition, ctx: EvaluationContext): Promise<Verdict> {
    switch (c.type) {
      case "trait":
        return evaluateTrait(c, ctx);
      case "event":
        return evaluateEvent(c, ctx);
      case "engagement":
        return evaluateEngagement(c, ctx);
      case "bucket":
        return evaluateBucket(c, ctx);
      case "segment":
        // The other segment's own timers re-evaluate this one when it flips (it is a dependent).
        return { value: await ctx.isMember(c.segment), nextCheck: null };
      case "lifecycle":
        return evaluateLifecycle(c, ctx);
      case "rfm":
        return evaluateRfm(c, ctx);
      case "not": {
        const inner = await this.evaluate(c.condition, ctx);
        return { value: !inner.value, nextCheck: inner.nextCheck };
      }
      case "and":
        return this.combine(c.conditions, ctx, false);
      case "or":
        return this.combine(c.conditions, ctx, true);
    }
  }

  /**
   * and (decisive = false) / or (decisive = true). A child whose value is decisive and will not change
   * settles the result for good, so the rest is skipped. When the result is decisive it can change only
   * when every decisive child changes (the earliest of them is a safe, early bound); otherwise, when any
   * child changes.
   */
  private async combine(children: SegmentCondition[], ctx: EvaluationContext, decisive: boolean): Promise<Verdict> {
    let found = false;
    let whenDecisive: number | null = null;
    let whenAny: number | null = null;
    for (const child of children) {
      const v = await this.evaluate(child, ctx);
      if (v.value === decisive) {
        if (v.nextCheck === null) return { value: decisive, nextCheck: null };
        found = true;
        whenDecisive = earliest(whenDecisive, v.nextCheck);
      }
      whenAny = earliest(whenAny, v.nextCheck);
    }
    return found ? { value: decisive, nextCheck: whenDecisive } : { value: !decisive, nextCheck: whenAny };
  }
}
