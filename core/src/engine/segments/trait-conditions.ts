import { createHash } from "node:crypto";
import { parseDateValue, type BucketCondition, type TraitCondition } from "../../domain/segment.js";
import { compare, readPath } from "../compare.js";
import { durationMs, STABLE_FALSE, type EvaluationContext, type Verdict } from "./evaluation-context.js";

/** A trait comparison. Date ops can flip as time passes; the others change only with the traits. */
export async function evaluateTrait(c: TraitCondition, ctx: EvaluationContext): Promise<Verdict> {
  const profile = await ctx.profile();
  if (!profile) return STABLE_FALSE;
  const actual = readPath(profile.traits, c.trait);
  if (c.op !== "before" && c.op !== "after" && c.op !== "within") return { value: compare(actual, c.op, c.value), nextCheck: null };
  const at = parseDateValue(actual);
  if (at === null) return STABLE_FALSE;
  if (c.value !== undefined) {
    // Two fixed dates: time passing changes nothing.
    const other = parseDateValue(c.value)!;
    return { value: c.op === "before" ? at < other : at > other, nextCheck: null };
  }
  const d = durationMs(c.duration!);
  const now = ctx.now;
  switch (c.op) {
    case "before": // more than d ago: true from at + d + 1 on
      return now > at + d ? { value: true, nextCheck: null } : { value: false, nextCheck: at + d + 1 };
    case "after": // less than d ago: true until at + d
      return now < at + d ? { value: true, nextCheck: at + d } : STABLE_FALSE;
    case "within": // at most d away, past or future
      if (now < at - d) return { value: false, nextCheck: at - d };
      if (now <= at + d) return { value: true, nextCheck: at + d + 1 };
      return STABLE_FALSE;
  }
}

/**
 * A stable random bucket 0–9999: the first 32 bits of SHA-256(salt, profile id). The profile id
 * survives identify and merges, so a person keeps their bucket; one salt gives one global split.
 */
export function bucketOf(profileId: string, salt = ""): number {
  return createHash("sha256").update(`${salt}\u0000${profileId}`).digest().readUInt32BE(0) % 10_000;
}

export function evaluateBucket(c: BucketCondition, ctx: EvaluationContext): Verdict {
  const b = bucketOf(ctx.profileId, c.salt);
  return { value: b >= c.from && b < c.to, nextCheck: null };
}
