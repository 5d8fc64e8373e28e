import { inject, injectable } from "tsyringe";
import type { Message } from "../../domain/message.js";
import type { Policy, PolicyContext, PolicyVerdict } from "../../ports/policy.js";
import type { SendLimit } from "../../ports/stores.js";
import { PoliciesToken } from "../engine-tokens.js";
import { MessageLog } from "./message-log.js";

/** A verdict that stops the send: the message is deferred, suppressed or dropped. */
export type StopVerdict = Exclude<PolicyVerdict, { outcome: "allow" } | { outcome: "flag" }>;

/** A limit as the store sees it (its id namespaced by policy), with the policy that declared it. */
export interface OwnedLimit {
  policy: Policy;
  limit: SendLimit;
  /** The id the policy gave it. */
  localId: string;
}

export type PolicyPass = { go: true; limits: OwnedLimit[] } | { go: false; policy: string; verdict: StopVerdict };

/**
 * Runs the ordered policies for one channel try. Flags and explained allows are recorded and the run
 * goes on; the first defer/suppress/drop stops it. Counting limits are collected for the atomic claim.
 */
@injectable()
export class PolicyRunner {
  constructor(
    @inject(PoliciesToken) private readonly policies: Policy[],
    @inject(MessageLog) private readonly log: MessageLog,
  ) {}

  async evaluate(message: Message, context: PolicyContext): Promise<PolicyPass> {
    for (const policy of this.policies) {
      // Most policies answer synchronously: awaiting only a promise saves a microtask turn per policy.
      const answer = policy.evaluate(context);
      const v = answer instanceof Promise ? await answer : answer;
      if (v.outcome === "allow" || v.outcome === "flag") {
        if (v.reason !== undefined) this.log.decide(message, policy.id, v.outcome, v.reason, { rule: v.rule, onCapped: v.onCapped });
        continue;
      }
      return { go: false, policy: policy.id, verdict: v };
    }
    const limits: OwnedLimit[] = [];
    for (const policy of this.policies) {
      if (!policy.limits) continue;
      for (const limit of policy.limits(context)) {
        limits.push({ policy, localId: limit.id, limit: { ...limit, id: `${policy.id}:${limit.id}` } });
      }
    }
    return { go: true, limits };
  }

  /** The verdict for a limit the store refused, from the policy that declared it. */
  refused(limits: OwnedLimit[], limitId: string, count: number, context: PolicyContext): { policy: string; verdict: StopVerdict } {
    const owned = limits.find((l) => l.limit.id === limitId);
    const fallback: StopVerdict = { outcome: "suppress", reason: `limit "${limitId}" reached (${count} counted)`, rule: limitId };
    if (!owned) return { policy: "limits", verdict: fallback };
    const v = owned.policy.onLimit?.({ ...owned.limit, id: owned.localId }, count, context);
    const verdict: StopVerdict = !v || v.outcome === "allow" || v.outcome === "flag" ? { ...fallback, rule: owned.localId } : v;
    return { policy: owned.policy.id, verdict };
  }
}
