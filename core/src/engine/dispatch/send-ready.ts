import type { Message } from "../../domain/message.js";
import type { Channel, Prepared, SendContext } from "../../ports/channel.js";
import type { PolicyContext } from "../../ports/policy.js";
import type { SendLimit } from "../../ports/stores.js";
import type { OwnedLimit } from "./policy-runner.js";

/**
 * How one channel try ended: the message is settled or parked ("done"), the next channel is tried
 * ("next"), or the message was a draft whose key another caller stored first (`taken`: that message).
 */
export type TryOutcome = "done" | "next" | Taken;

/** A draft's first write found its key taken: the message stored under it. */
export interface Taken {
  taken: Message;
}

/** The outcome of a write that settles the try: `stored` is what `MessageLog.save` answered for `message`. */
export function settled(message: Message, stored: Message, then: "done" | "next"): TryOutcome {
  return stored === message ? then : { taken: stored };
}

/** A message ready for its claim and provider call on one channel: everything checked and priced. */
export interface Ready {
  channel: Channel;
  address: string;
  content: Record<string, unknown>;
  policy: PolicyContext;
  limits: OwnedLimit[];
  sendLimits: SendLimit[];
  prepared: Prepared | undefined;
  send: SendContext;
}

/** The provider a try is recorded under when no provider answered: the channel's first. */
export function primaryProvider(channel: Channel): string {
  return channel.providers[0] ?? "none";
}
