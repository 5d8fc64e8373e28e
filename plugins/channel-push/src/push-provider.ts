import type { Provider, ProviderCall, PushToken } from "@nudge/core";
import type { Platform, ResolvedPush } from "./content.js";

/**
 * One device's send, as a push provider receives it: the content with the device's platform overrides
 * applied, the platform, and a Web Push subscription's keys. The call's `to` is the device token (for Web
 * Push, the subscription endpoint). The sandbox records this object as the outbox entry's `content`.
 */
export interface PushPayload extends ResolvedPush {
  platform: Platform;
  /** A Web Push subscription's keys (RFC 8291): the browser's P-256 public key and auth secret. */
  keys?: { p256dh: string; auth: string };
}

/**
 * A push vendor: `send` delivers to one device and throws core ChannelErrors: RecipientUnreachableError (with
 * an invalidContacts entry `push:<token>`) for a token that will never work again, ChannelRejectedError for a
 * refused message or credentials, ChannelUnavailableError and RateLimitedError for what may work later, with
 * `notSent` when the vendor provably did not act (connection refused, 429).
 */
export interface PushProvider extends Provider<PushPayload> {
  /** The platforms whose devices it can reach (as its vendor documents). */
  readonly platforms: readonly Platform[];
  /**
   * Whether it can address this device beyond the platform: a Web Push subscription (endpoint + keys) is not
   * an FCM token, and an FCM token is not an APNs device token. Absent: every device of its platforms.
   */
  accepts?(device: PushToken): boolean;
  /** The payload's size as the vendor counts it, and the vendor's limit, so `prepare` refuses content before any send. */
  payloadSize?(call: ProviderCall<PushPayload>): { bytes: number; limit: number };
}

export const PLATFORMS: readonly Platform[] = ["android", "ios", "web"];

/** The platforms a provider serves. One that declares none (the sandbox, a test double) serves them all. */
export function platformsOf(provider: Provider<PushPayload>): readonly Platform[] {
  return (provider as Partial<PushProvider>).platforms ?? PLATFORMS;
}

/** Whether a provider takes a device: its platform, then the provider's own check of the token. */
export function serves(provider: Provider<PushPayload>, device: PushToken): boolean {
  if (!platformsOf(provider).includes(device.platform)) return false;
  return (provider as Partial<PushProvider>).accepts?.(device) ?? true;
}

/** The payload of one device: the content resolved for its platform, with the subscription keys. */
export function payloadFor(device: PushToken, content: ResolvedPush): PushPayload {
  return { platform: device.platform, ...content, ...(device.keys ? { keys: device.keys } : {}) };
}
