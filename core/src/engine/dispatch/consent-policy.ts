import type { Channel } from "../../ports/channel.js";
import type { Policy, PolicyContext, PolicyVerdict } from "../../ports/policy.js";
import { ALLOW } from "../../policies/allow.js";
import { ConsentKeys } from "../../policies/consent-keys.js";

/**
 * A marketing message needs a subscription to its channel (and topic, when it has one); a
 * transactional one does not; "unsubscribed" is final for marketing. An alias shares the consent of
 * the channel it names (`Channel.aliasOf`, see ConsentKeys).
 */
export class ConsentPolicy implements Policy {
  readonly id = "consent";
  readonly order = 100;
  private keys = new ConsentKeys();

  bindChannels(channels: readonly Channel[]): void {
    this.keys = new ConsentKeys(channels);
  }

  evaluate({ message, profile, channel }: PolicyContext): PolicyVerdict {
    if (!message.marketing) return ALLOW;
    const state = this.keys.state(profile, channel.id);
    if (state !== "subscribed") {
      return { outcome: "suppress", reason: `no marketing consent for channel "${channel.id}"${this.keys.note(channel.id)} (state: ${state})` };
    }
    if (message.topic !== null) {
      const topic = this.keys.state(profile, channel.id, message.topic);
      if (topic !== "subscribed") return { outcome: "suppress", reason: `no consent for topic "${message.topic}" (state: ${topic})` };
    }
    return ALLOW;
  }
}
