import type { PolicyVerdict } from "../ports/policy.js";

/**
 * The plain "allow" most evaluations answer, shared instead of built per send. Frozen: a caller that
 * tried to write to it would throw rather than change every later answer.
 */
export const ALLOW: PolicyVerdict = Object.freeze({ outcome: "allow" });
