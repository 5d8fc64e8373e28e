import type { Channel, Prepared, SendContext } from "../../ports/channel.js";
import type { PolicyContext } from "../../ports/policy.js";
import type { SendLimit } from "../../ports/stores.js";
import type { OwnedLimit } from "./policy-runner.js";

/** How one channel try ended: the message is settled or parked ("done"), or the next channel is tried. */
export type TryOutcome = "done" | "next";

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
