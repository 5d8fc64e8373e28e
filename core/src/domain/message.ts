import { z } from "zod";
import { EpochMs, JsonRecord } from "./common.js";

export const MessageStatus = z.enum([
  "queued", // recorded, not yet handed to a provider
  "deferred", // waiting for quiet hours / a sending window / a rate limit
  "sending", // handed to a provider, answer not yet recorded
  "sent", // the provider accepted it
  "delivered", // a delivery report confirmed it
  "failed", // permanently failed on every channel of the chain
  "suppressed", // a policy refused it (consent, cap, ...): costs nothing
  "aborted", // the template aborted it: costs nothing
]);
export type MessageStatus = z.infer<typeof MessageStatus>;

/**
 * What a journey does with a person whose message a frequency cap stopped: move on to the next step
 * (continue), keep the message deferred until the cap frees up (wait), or leave the journey (exit).
 */
export const OnCapped = z.enum(["continue", "wait", "exit"]);
export type OnCapped = z.infer<typeof OnCapped>;

/** A decision a policy took about the message, kept so "why (not)?" always has an answer. */
export const Decision = z.object({
  at: EpochMs,
  policy: z.string(),
  outcome: z.enum(["allow", "defer", "suppress", "drop", "abort", "flag"]),
  reason: z.string(),
  until: EpochMs.optional(),
  /** The rule of the policy that decided: a frequency cap's id, "night-window", "ad-label" ... */
  rule: z.string().optional(),
  /** Set by frequency caps: what the journey should do with the person. */
  onCapped: OnCapped.optional(),
});
export type Decision = z.infer<typeof Decision>;

export const Cost = z.object({ amount: z.number().nonnegative(), currency: z.string().length(3) });
export type Cost = z.infer<typeof Cost>;

/** One try on one channel/provider. A logical message may have several (retries, fallbacks). */
export const Delivery = z.object({
  attempt: z.number().int().positive(),
  channel: z.string(),
  provider: z.string(),
  at: EpochMs,
  status: z.enum(["sent", "delivered", "failed", "unreachable", "retrying"]),
  providerMessageId: z.string().optional(),
  /** The vendor's own result code, for people (the engine never branches on it). */
  providerCode: z.string().optional(),
  errorCode: z.string().optional(),
  error: z.string().optional(),
  cost: Cost.optional(),
  /** The provider's message type: SMS, LMS, BMS_TEXT ... */
  messageType: z.string().optional(),
  /** Per-recipient detail (one entry per push device ...). */
  details: JsonRecord.optional(),
});
export type Delivery = z.infer<typeof Delivery>;

export const Message = z.object({
  workspaceId: z.string(),
  id: z.string(),
  /** One logical message per key: (enrollment, step, visit) for journeys. */
  idempotencyKey: z.string(),
  profileId: z.string(),
  journeyId: z.string().nullable(),
  journeyVersion: z.number().int().nullable(),
  stepId: z.string().nullable(),
  enrollmentId: z.string().nullable(),
  /** The channel chain in order; `channel` is the one currently used. */
  channels: z.array(z.string()).min(1),
  channel: z.string(),
  marketing: z.boolean(),
  topic: z.string().nullable(),
  status: MessageStatus,
  recipient: z.string().nullable(),
  /** Rendered content per channel tried; removed by content retention. */
  content: JsonRecord.nullable(),
  attempts: z.array(Delivery),
  decisions: z.array(Decision),
  /** When a deferred message is due. */
  notBefore: EpochMs.nullable(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
  sentAt: EpochMs.nullable(),
});
export type Message = z.infer<typeof Message>;

export function totalCost(m: Pick<Message, "attempts">): Cost | null {
  let amount = 0;
  let currency: string | null = null;
  for (const a of m.attempts) {
    if (!a.cost) continue;
    currency ??= a.cost.currency;
    if (a.cost.currency === currency) amount += a.cost.amount;
  }
  return currency ? { amount, currency } : null;
}

/**
 * The cap decision that stopped this message, when a frequency cap stopped it (status suppressed, or
 * deferred with onCapped "wait"): journeys read it to move the person on, keep them waiting, or exit.
 */
export function cappedDecision(m: Pick<Message, "status" | "decisions">): (Decision & { onCapped: OnCapped }) | null {
  if (m.status !== "suppressed" && m.status !== "deferred") return null;
  const last = m.decisions[m.decisions.length - 1];
  return last?.onCapped !== undefined ? (last as Decision & { onCapped: OnCapped }) : null;
}
