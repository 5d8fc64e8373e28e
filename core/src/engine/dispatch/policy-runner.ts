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

/** `limits` for the policies' own bookkeeping, `sendLimits` (the same, as the store takes them) for the claim. */
export type PolicyPass = { go: true; limits: OwnedLimit[]; sendLimits: SendLimit[] } | { go: false; policy: string; verdict: StopVerdict };

/** What one policy's last frozen limits became, reused while it returns the same frozen array. */
interface Owned {
  declared: readonly SendLimit[];
  pass: PolicyPass & { go: true };
}

const NO_LIMITS: PolicyPass = Object.freeze({ go: true, limits: Object.freeze([]) as unknown as OwnedLimit[], sendLimits: Object.freeze([]) as unknown as SendLimit[] });

/**
 * Runs the ordered policies for one channel try. Flags and explained allows are recorded and the run
 * goes on; the first defer/suppress/drop stops it. Counting limits are collected for the atomic claim.
 * Answers synchronously while every policy does: a send then costs no promise here.
 */
@injectable()
export class PolicyRunner {
  private readonly limiting: Policy[];
  private readonly owned = new Map<Policy, Owned>();

  constructor(
    @inject(PoliciesToken) private readonly policies: Policy[],
    @inject(MessageLog) private readonly log: MessageLog,
  ) {
    this.limiting = policies.filter((p) => p.limits !== undefined);
  }

  evaluate(message: Message, context: PolicyContext): PolicyPass | Promise<PolicyPass> {
    const policies = this.policies;
    for (let i = 0; i < policies.length; i++) {
      const answer = policies[i]!.evaluate(context);
      if (answer instanceof Promise) return this.evaluateFrom(message, context, i, answer);
      const stop = this.note(message, policies[i]!, answer);
      if (stop !== null) return stop;
    }
    return this.pass(context);
  }

  /** The rest of evaluate() once a policy answered with a promise. */
  private async evaluateFrom(message: Message, context: PolicyContext, from: number, pending: Promise<PolicyVerdict>): Promise<PolicyPass> {
    const policies = this.policies;
    for (let i = from; i < policies.length; i++) {
      const answer = i === from ? pending : policies[i]!.evaluate(context);
      const stop = this.note(message, policies[i]!, answer instanceof Promise ? await answer : answer);
      if (stop !== null) return stop;
    }
    return this.pass(context);
  }

  /** Records a flag or explained allow and returns null to go on; a stopping verdict ends the run. */
  private note(message: Message, policy: Policy, v: PolicyVerdict): PolicyPass | null {
    if (v.outcome === "allow" || v.outcome === "flag") {
      if (v.reason !== undefined) this.log.decide(message, policy.id, v.outcome, v.reason, { rule: v.rule, onCapped: v.onCapped });
      return null;
    }
    return { go: false, policy: policy.id, verdict: v };
  }

  private pass(context: PolicyContext): PolicyPass {
    let pass: (PolicyPass & { go: true }) | null = null;
    for (const policy of this.limiting) {
      const declared = policy.limits!(context);
      if (declared.length === 0) continue;
      const mine = this.own(policy, declared);
      pass = pass === null ? mine : { go: true, limits: pass.limits.concat(mine.limits), sendLimits: pass.sendLimits.concat(mine.sendLimits) };
    }
    return pass ?? NO_LIMITS;
  }

  /**
   * One policy's limits with namespaced ids. A policy that answers a frozen array of frozen limits (the
   * frequency caps do, see FrequencyCapPolicy.limits) cannot change it later, so the same array maps to
   * the same result: kept per policy instead of rebuilt per send. Anything else is rebuilt every time.
   */
  private own(policy: Policy, declared: SendLimit[]): PolicyPass & { go: true } {
    const last = this.owned.get(policy);
    if (last !== undefined && last.declared === declared) return last.pass;
    const limits: OwnedLimit[] = [];
    const sendLimits: SendLimit[] = [];
    const keep = Object.isFrozen(declared) && declared.every((l) => Object.isFrozen(l));
    for (const limit of declared) {
      const namespaced = { ...limit, id: `${policy.id}:${limit.id}` };
      const owned = { policy, localId: limit.id, limit: namespaced };
      limits.push(keep ? Object.freeze(owned) : owned);
      sendLimits.push(keep ? Object.freeze(namespaced) : namespaced);
    }
    const pass = { go: true as const, limits, sendLimits };
    if (!keep) return pass;
    // Shared by every send while the policy repeats its answer: frozen, so no caller can change it for the others.
    Object.freeze(limits);
    Object.freeze(sendLimits);
    this.owned.set(policy, { declared, pass: Object.freeze(pass) });
    return pass;
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
