import { subscriptionState } from "../../domain/profile.js";
import type { Policy, PolicyContext, PolicyVerdict } from "../../ports/policy.js";
import { ALLOW } from "../../policies/allow.js";

/**
 * A marketing message needs a subscription to its channel (and topic, when it has one); a
 * transactional one does not; "unsubscribed" is final for marketing.
 */
export class ConsentPolicy implements Policy {
  readonly id = "consent";
  readonly order = 100;

  evaluate({ message, profile, channel }: PolicyContext): PolicyVerdict {
    if (!message.marketing) return ALLOW;
    const state = subscriptionState(profile, channel.id);
    if (state !== "subscribed") {
      return { outcome: "suppress", reason: `no marketing consent for channel "${channel.id}" (state: ${state})` };
    }
    if (message.topic !== null) {
      const topic = subscriptionState(profile, channel.id, message.topic);
      if (topic !== "subscribed") return { outcome: "suppress", reason: `no consent for topic "${message.topic}" (state: ${topic})` };
    }
    return ALLOW;
  }
}
