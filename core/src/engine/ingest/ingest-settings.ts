import { z } from "zod";
import type { FieldIssue } from "../../errors.js";

/** `settings.ingest` of createNudge: what every track, identify and batch call must respect, whoever makes it. */
export const IngestSettings = z
  .object({
    /** Calls timestamped further ahead of the instance's clock are refused (a wrong clock, or ms read as s). */
    maxFutureMs: z.number().int().nonnegative().default(24 * 60 * 60 * 1000),
    /**
     * Levels of JSON a call may nest, counting the call itself as the first (its properties, traits or
     * context hold one less). Deeper JSON is refused before it is stored or copied.
     */
    maxDepth: z.number().int().min(2).max(256).default(32),
  })
  .strict();
export type IngestSettings = z.infer<typeof IngestSettings>;

/** Whether a JSON value nests deeper than `limit` (iterative: a hostile body cannot overflow the stack here). */
export function tooDeep(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > limit) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

const NESTED = ["properties", "traits", "traitsOnce", "context"] as const;

/** A parsed call as the rules read it. */
type Checked = { timestamp?: number | undefined } & Partial<Record<(typeof NESTED)[number], unknown>>;

/**
 * The rules a zod schema cannot state on its own (they depend on the clock and on settings), for one
 * parsed call; each issue's path starts with `prefix` (`[3].` for a batch item). Appends to `issues`.
 */
export function checkIngestRules(call: Checked, now: number, settings: IngestSettings, prefix: string, issues: FieldIssue[]): void {
  if (call.timestamp !== undefined && call.timestamp > now + settings.maxFutureMs) {
    issues.push({ path: `${prefix}timestamp`, message: `must not be more than ${settings.maxFutureMs / 3_600_000} h in the future` });
  }
  for (const field of NESTED) {
    const v = call[field];
    // The field is itself one level: what it holds may nest one level less.
    if (v !== undefined && v !== null && typeof v === "object" && tooDeep(v, settings.maxDepth - 1)) {
      issues.push({ path: `${prefix}${field}`, message: `must not nest deeper than ${settings.maxDepth} levels` });
    }
  }
}
