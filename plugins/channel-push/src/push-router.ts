import { ChannelError, type ProviderCall, type ProviderSet, type PushToken, type SendContext } from "@nudge/core";
import type { Platform, ResolvedPush } from "./content.js";
import { deviceFailure, type DeviceFailure, type DeviceOutcome } from "./device-outcome.js";
import { payloadFor, PLATFORMS, platformsOf, serves, type PushPayload, type PushProvider } from "./push-provider.js";

/** How one device's send ended, and through which provider. */
export interface DeviceResult {
  device: PushToken;
  /** The provider whose answer counts: the one that took the message, or the one whose failure is kept. */
  provider: string;
  outcome: DeviceOutcome;
  /** Every provider called for this device, in order, when there was more than one. */
  tried?: string[];
}

/**
 * Routes each device to the providers that serve it, in the channel's order: the first is the device's own
 * (its token was issued for that vendor), the rest its failover. `ProviderSet.send` cannot do this, as it
 * always starts with the first provider of the whole list, whatever the platform.
 */
export class PushRouter {
  constructor(private readonly set: ProviderSet<PushProvider>) {}

  /** The providers that take this device, in failover order; empty when none does. */
  candidates(device: PushToken): readonly PushProvider[] {
    return this.set.list().filter((p) => serves(p, device));
  }

  /** Platforms no listed provider serves: their devices are skipped. */
  unserved(): Platform[] {
    return PLATFORMS.filter((platform) => !this.set.list().some((p) => platformsOf(p).includes(platform)));
  }

  /** The call a provider receives for this device. */
  call(device: PushToken, content: ResolvedPush, context: SendContext): ProviderCall<PushPayload> {
    return { to: device.token, payload: payloadFor(device, content), messageType: "push", context };
  }

  /**
   * Sends to one device: the next provider is tried only when the previous provably did not act
   * (`notSent`: connection refused, 429). Never throws: every answer becomes the device's outcome.
   */
  async send(device: PushToken, providers: readonly PushProvider[], content: ResolvedPush, context: SendContext): Promise<DeviceResult> {
    const call = this.call(device, content, context);
    const tried: string[] = [];
    let previous: { provider: string; outcome: DeviceFailure } | null = null;
    for (const [i, provider] of providers.entries()) {
      tried.push(provider.id);
      let outcome: DeviceFailure;
      try {
        const sent = await provider.send(call);
        return result(device, provider.id, { ok: true, id: sent.providerMessageId ?? `${provider.id}-${context.messageId}` }, tried);
      } catch (e) {
        outcome = deviceFailure(e);
        // A token belongs to the vendor it is routed to first: a failover vendor calling it dead (an APNs
        // token means nothing to FCM) must not get it removed, so the first vendor's failure is kept.
        if (previous && outcome.kind === "dead") return result(device, previous.provider, previous.outcome, tried);
        const last = i === providers.length - 1;
        if (last || !(e instanceof ChannelError && e.notSent)) return result(device, provider.id, outcome, tried);
      }
      previous = { provider: provider.id, outcome };
    }
    throw new Error("a device is sent only with at least one provider");
  }
}

function result(device: PushToken, provider: string, outcome: DeviceOutcome, tried: string[]): DeviceResult {
  return { device, provider, outcome, ...(tried.length > 1 ? { tried } : {}) };
}
