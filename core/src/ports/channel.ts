import type { ZodType } from "zod";
import type { Profile } from "../domain/profile.js";
import type { Cost } from "../domain/message.js";

/** How fast a provider may be called: requests in flight, and requests per second. */
export interface ProviderRateLimit {
  concurrency?: number;
  perSecond?: number;
}

/** What a channel knows about the send it is asked to make. */
export interface SendContext {
  workspace: string;
  /** The id of the channel sending (e.g. "sms", "kakao-friendtalk"). */
  channel: string;
  messageId: string;
  /** Stable across retries of one logical message on one channel: pass it to providers that dedupe. */
  idempotencyKey: string;
  attempt: number;
  marketing: boolean;
  profile: Profile;
  now: number;
}

export interface OutboundMessage<C> {
  /** The address from `address()`: E.164 phone, e-mail, device token ... */
  to: string;
  content: C;
  context: SendContext;
}

export interface SendResult {
  /** The provider that took the message (set by `ProviderSet.send`); the channel's first provider when absent. */
  provider?: string;
  providerMessageId?: string;
  /** Most providers only accept; a delivery report confirms later. */
  status?: "sent" | "delivered";
  cost?: Cost;
  /** The provider's message type (SMS, LMS, BMS_TEXT ...). */
  messageType?: string;
  providerCode?: string;
  /** Per-recipient detail kept on the attempt (e.g. one entry per push device). */
  details?: Record<string, unknown>;
  /**
   * Contact points the provider declared dead while sending ("email", "phone", "push:<token>"): the
   * engine marks them invalid so they are not used again.
   */
  invalidContacts?: { key: string; reason: string }[];
}

export interface Prepared {
  messageType?: string;
  /** The expected price, recorded when the provider does not return one. */
  cost?: Cost;
}

/** A provider's delivery report, normalised. */
export interface DeliveryReport {
  providerMessageId: string;
  status: "sent" | "delivered" | "failed";
  providerCode?: string;
  reason?: string;
  at: number;
  /** For failures: the contact point is unusable from now on (invalid number, unregistered token). */
  invalidateContact?: boolean;
  /**
   * Facts the report adds to the attempt's `details`, merged key by key (e.g. `resend`: the vendor's own SMS/LMS
   * fallback with its outcome and cost).
   */
  details?: Record<string, unknown>;
}

/** Something a provider reports about a person rather than a message (080 opt-out, complaint). */
export interface ContactReport {
  type: "unsubscribe" | "invalid";
  /** The address as the channel stores it (E.164 phone, e-mail ...). */
  address: string;
  reason?: string;
  at: number;
}

export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received: signatures are computed over them. */
  rawBody: Buffer;
  query: Record<string, unknown>;
}

export interface WebhookResult {
  reports: DeliveryReport[];
  contacts?: ContactReport[];
  /** The HTTP answer the provider expects, when it expects one. */
  response?: { status: number; body?: unknown };
}

/**
 * What a channel says its content is, whatever the send's `marketing` flag says: "advertising" content (a Kakao
 * Brand Message, an SMS starting with "(광고)") is sent as marketing, or refused when the send declared
 * `marketing: false`. `reason` is recorded on the message ("Brand Message", "text starts with (광고)").
 */
export interface ContentClass {
  kind: "advertising" | "informational";
  reason: string;
}

/**
 * A channel: one kind of message (sms, kakao, email, push ...) with its content schema and rules, delivered
 * by provider plugins it picks by id (`ctx.providers(kind, ids)`). Channels are registered under
 * Tokens.Channel (several) and reached by `id`.
 */
export interface Channel<C = unknown> {
  /** The registry key, e.g. "sms". Two channels with one id fail at boot. */
  readonly id: string;
  /** The ids of the providers it uses, in failover order: "nhncloud", "solapi", "sandbox" ... */
  readonly providers: readonly string[];
  /** Validates rendered content; errors name the field. */
  readonly contentSchema: ZodType<C>;
  /** The first provider's documented limits; the host's `settings.dispatch.providers[id]` overrides them. */
  readonly rateLimit?: ProviderRateLimit;
  /**
   * Top-level content fields that are HTML (e-mail's `html`): Liquid escapes every output in them, and
   * `| raw` as an output's last filter opts out. Other fields render as plain text, unescaped.
   */
  readonly htmlFields?: readonly string[];
  /**
   * The id of the channel this one is another name of (`kakao-friendtalk` of `kakao`): marketing consent and
   * opt-outs are kept once per channel and shared by its aliases, whichever id records or checks them.
   */
  readonly aliasOf?: string;
  /**
   * Classifies rendered content by what it is, not by what the send declares; undefined when the content does not
   * say. Called once per message after rendering, for every channel of its chain.
   */
  classify?(content: C): ContentClass | undefined;
  /** The person's address on this channel, or null when they cannot be reached here (falls back). */
  address(profile: Profile): string | null;
  /** Checks content beyond its schema (byte lengths ...), picks a message type and its price. Throws ValidationError. */
  prepare?(content: C, context: SendContext): Prepared;
  /**
   * Why the channels after it in a fallback chain (`next`, ids in order) may not follow it, or null. Asked when a
   * journey or a send is defined, so the definition is refused (ValidationError naming the step) rather than sent
   * twice: e.g. a provider that resends undelivered messages itself would double any Nudge fallback.
   */
  fallbackConflict?(next: readonly string[]): string | null;
  /** Sends, or throws a core ChannelError (rejected, unreachable, unavailable, rate limited, deferred). */
  send(message: OutboundMessage<C>): Promise<SendResult>;
  /**
   * Verifies and parses the webhook of one of its providers (`provider` is the id in the URL). Throws
   * WebhookSignatureError for a missing or wrong signature, ValidationError for a malformed body,
   * NotFoundError when that provider takes no webhooks.
   */
  parseWebhook?(request: WebhookRequest, provider: string): Promise<WebhookResult>;
  /**
   * Asks the provider that sent a message what became of it, for providers whose reports can be fetched (or
   * that send none). Null when the provider knows nothing more yet. The engine calls it for sent messages
   * still without a report, less and less often as they age (`settings.dispatch.upkeep`).
   */
  poll?(query: PollQuery): Promise<DeliveryReport | null>;
}

/** A sent message to look up at its provider. */
export interface PollQuery {
  provider: string;
  providerMessageId: string;
  messageType?: string | undefined;
}
