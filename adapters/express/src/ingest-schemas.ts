import { z } from "zod";
import { IdentifyInput, TrackInput, type Clock } from "@nudge/core";

/** Properties, traits and context nest at most this deep: deeper JSON is refused before it is stored or cloned. */
export const MAX_DEPTH = 32;

/** Whether a JSON value nests deeper than `limit` (iterative: a hostile body cannot overflow the stack here). */
export function tooDeep(value: unknown, limit = MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

type Refinable = { timestamp?: number | undefined } & Record<string, unknown>;

/**
 * The core's TrackInput / IdentifyInput with the HTTP rules on top: no timestamp more than
 * `maxFutureMs` ahead of the instance's clock, no JSON nested deeper than MAX_DEPTH.
 */
export function ingestSchemas(clock: Clock, maxFutureMs: number, maxItems: number) {
  const rules = (v: Refinable, ctx: z.RefinementCtx) => {
    if (v.timestamp !== undefined && v.timestamp > clock.now() + maxFutureMs) {
      ctx.addIssue({ code: "custom", path: ["timestamp"], message: `must not be more than ${maxFutureMs / 3_600_000} h in the future` });
    }
    for (const field of ["properties", "traits", "traitsOnce", "context"]) {
      if (v[field] !== undefined && tooDeep(v[field], MAX_DEPTH - 1)) {
        ctx.addIssue({ code: "custom", path: [field], message: `must not nest deeper than ${MAX_DEPTH} levels` });
      }
    }
  };
  const track = TrackInput.superRefine(rules);
  const identify = IdentifyInput.superRefine(rules);
  const item = z.discriminatedUnion("type", [
    track.safeExtend({ type: z.literal("track") }),
    identify.safeExtend({ type: z.literal("identify") }),
  ]);
  const batch = z.object({ batch: z.array(item).min(1).max(maxItems) });
  return { track, identify, batch };
}

export const AcceptedResponse = z.object({
  /** Calls taken: stored now, or stored before under the same messageId. */
  accepted: z.number().int(),
  /** Of those, calls whose messageId was already stored: nothing new was written. */
  duplicates: z.number().int(),
});
