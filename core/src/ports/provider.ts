import type { DeliveryReport, ProviderRateLimit, SendContext, SendResult, WebhookRequest, WebhookResult } from "./channel.js";

/**
 * What a provider can do when the outcome of a send is unknown (a crash between call and answer, a
 * timeout): resend with the same idempotency key, look the message up by Nudge's id, or neither.
 */
export type IdempotencySupport = "key" | "lookup" | "none";

/** One call to a provider: the address the channel resolved, the channel's prepared payload, and the send's context. */
export interface ProviderCall<P> {
  /** The address as the channel stores it: E.164 phone, e-mail, device token ... */
  to: string;
  /** What the channel prepared for this kind of message (its shape is the channel kind's contract). */
  payload: P;
  /** The message type the channel planned (SMS, LMS, BMS_TEXT ...), when it plans one. */
  messageType?: string | undefined;
  context: SendContext;
}

/**
 * A provider: one vendor's wire protocol for one kind of channel (auth, paths, status codes, webhooks,
 * polling). Registered by a `kind: "provider"` plugin under `Tokens.Provider`; channels pick providers by
 * `id`, in failover order. `(channel, id)` is unique within an instance.
 */
export interface Provider<P = unknown> {
  /** The id channels name in their `providers` list: "nhncloud", "solapi", "twilio", "smtp" ... */
  readonly id: string;
  /** The kind of channel it delivers: "sms", "kakao", "email", "push". */
  readonly channel: string;
  /** How a send of unknown outcome can be settled safely; see IdempotencySupport. */
  readonly idempotency: IdempotencySupport;
  /** The vendor's documented limits; the host's `settings.dispatch.providers[channelId]` overrides them. */
  readonly rateLimit?: ProviderRateLimit;
  /** Sends, or throws a core ChannelError (rejected, unreachable, unavailable, rate limited, deferred). */
  send(call: ProviderCall<P>): Promise<SendResult>;
  /** Verifies and parses the vendor's webhook (delivery reports, opt-outs). */
  parseWebhook?(request: WebhookRequest): Promise<WebhookResult>;
  /**
   * Finds a message at the vendor by Nudge's ids (`context.messageId`, `context.idempotencyKey`), for
   * providers whose `idempotency` is "lookup": the send's result when the vendor has it, null when not.
   */
  lookup?(context: SendContext): Promise<SendResult | null>;
  /** Asks the vendor what became of a sent message; null when it knows nothing more yet. */
  poll?(providerMessageId: string, messageType?: string): Promise<DeliveryReport | null>;
}

/**
 * The providers one channel uses, in failover order, as `ctx.providers(kind, ids)` returns them. It is
 * filled once every plugin has registered, so a channel may hold it from `register` on; its methods
 * work from `createNudge`'s return on.
 */
export interface ProviderSet<P extends Provider = Provider> {
  /** The channel kind. */
  readonly kind: string;
  /** The configured ids, in failover order. */
  readonly ids: readonly string[];
  /** The providers, in failover order. */
  list(): readonly P[];
  get(id: string): P | undefined;
  /**
   * Sends through the first provider; moves to the next only when the error proves the provider did
   * not act (`ChannelError.notSent`: connection refused, HTTP 429). The result names the provider used.
   */
  send(call: ProviderCall<P extends Provider<infer Q> ? Q : never>): Promise<SendResult & { provider: string }>;
}
