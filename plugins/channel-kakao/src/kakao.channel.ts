import {
  ChannelDeferredError,
  NotFoundError,
  RecipientUnreachableError,
  ValidationError,
  usableContact,
  type Channel,
  type Clock,
  type ContentClass,
  type Cost,
  type DeliveryReport,
  type FieldIssue,
  type Logger,
  type OutboundMessage,
  type PollQuery,
  type Prepared,
  type Profile,
  type ProviderRateLimit,
  type ProviderSet,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from "@nudge/core";
import type { ZodType } from "zod";
import type { KakaoConfig } from "./config.js";
import { alimTalkIssues } from "./content/alimtalk.js";
import { BrandMessage } from "./content/brand-message.js";
import { friendtalkToBrandMessage, type Friendtalk } from "./content/friendtalk.js";
import type { KakaoContent } from "./content/kakao-content.js";
import { koreanNational } from "./phone.js";
import type { KakaoMessageType, KakaoPayload, KakaoProvider, KakaoResend } from "./provider.js";
import type { SendingWindowClock } from "./sending-window.js";

export interface KakaoChannelOptions {
  id: string;
  contentSchema: ZodType<KakaoContent | Friendtalk>;
  /** kakao-friendtalk: every message is a Brand Message, so a known non-friend has no address. */
  brandOnly: boolean;
  /** kakao-friendtalk: another name of the kakao channel, sharing its marketing consent. */
  aliasOf?: string;
}

export interface KakaoChannelDeps {
  /** The plugin's providers, in failover order (shared by its channels). */
  providers: ProviderSet<KakaoProvider>;
  window: SendingWindowClock;
  clock: Clock;
  logger: Logger;
}

/**
 * A Kakao channel: Brand Message (and legacy Friendtalk, converted) and AlimTalk, sent through the configured
 * providers in failover order. A Brand Message targeting I reaches channel friends only: a person known not to be
 * a friend is reported unreachable before any provider call, so the dispatcher falls back (e.g. to LMS) instead
 * of paying for a message Kakao would drop.
 */
export class KakaoChannel implements Channel<KakaoContent | Friendtalk> {
  readonly id: string;
  readonly providers: readonly string[];
  readonly contentSchema: ZodType<KakaoContent | Friendtalk>;
  readonly aliasOf?: string;

  constructor(
    private readonly config: KakaoConfig,
    private readonly options: KakaoChannelOptions,
    private readonly deps: KakaoChannelDeps,
  ) {
    this.id = options.id;
    this.providers = deps.providers.ids;
    this.contentSchema = options.contentSchema;
    if (options.aliasOf !== undefined) this.aliasOf = options.aliasOf;
  }

  /**
   * Brand Message (and Friendtalk, sent as one) is advertising by definition, whatever the send's flag says
   * (NHN Cloud Brand Message overview: 광고성 메시지; KOREA-CHANNELS.md "Nature: always advertising"); AlimTalk
   * is informational, from templates Kakao approved.
   */
  classify(content: KakaoContent | Friendtalk): ContentClass {
    if (content.kind === "alimtalk") return { kind: "informational", reason: "AlimTalk" };
    return { kind: "advertising", reason: content.kind === "friendtalk" ? "Friendtalk, sent as a Brand Message" : "Brand Message" };
  }

  /** The first provider's documented limits (the host's dispatch settings override them). */
  get rateLimit(): ProviderRateLimit | undefined {
    return this.deps.providers.list()[0]?.rateLimit;
  }

  address(profile: Profile): string | null {
    const phone = usableContact(profile, "phone");
    if (!phone || !koreanNational(phone)) return null;
    if (this.options.brandOnly && this.config.targeting === "I" && profile.contacts.kakao?.channelFriend === false) return null;
    return phone;
  }

  prepare(content: KakaoContent | Friendtalk): Prepared {
    const payload = this.payload(content);
    return { messageType: messageType(payload), cost: this.cost(payload) };
  }

  /**
   * A provider that resends undelivered messages as texts itself (NHN `resendParameter`, Solapi `disableSms: false`)
   * acts on the same failures Nudge's fallback chain acts on: with both, the person gets two texts. Refused when a
   * journey or send is defined.
   */
  fallbackConflict(next: readonly string[]): string | null {
    const resending = this.deps.providers.list().filter((p) => p.resend);
    if (resending.length === 0 || next.length === 0) return null;
    const ids = resending.map((p) => p.id).join(", ");
    return `"${this.id}" falls back to "${next[0]}", but its provider ${ids} resends undelivered Kakao messages as SMS/LMS itself (resend.enabled), so the person would get two messages: turn off the provider's resend or remove the ${next[0]} fallback`;
  }

  async send(message: OutboundMessage<KakaoContent | Friendtalk>): Promise<SendResult> {
    const payload = this.payload(message.content);
    const { context } = message;
    if (payload.kind === "brand" && payload.targeting === "I" && context.profile.contacts.kakao?.channelFriend === false) {
      throw new RecipientUnreachableError("not a friend of the Kakao channel (Brand Message targeting I reaches friends only)", { providerCode: "NUDGE_NOT_CHANNEL_FRIEND" });
    }
    if (!koreanNational(message.to)) throw new RecipientUnreachableError("Kakao messages go to Korean mobile numbers only", { providerCode: "NUDGE_NO_ROUTE" });
    const type = messageType(payload);
    this.deps.logger.debug({ messageId: context.messageId, type, providers: this.providers }, "sending kakao message");
    try {
      const result = await this.deps.providers.send({ to: message.to, payload, messageType: type, context });
      return { ...result, messageType: type, cost: this.cost(payload) };
    } catch (e) {
      throw this.withNextOpening(e);
    }
  }

  /** Hands the webhook to the provider named in its URL; NotFoundError when that provider is not ours or takes none. */
  async parseWebhook(request: WebhookRequest, providerId: string): Promise<WebhookResult> {
    const provider = this.deps.providers.get(providerId);
    if (!provider?.parseWebhook) throw new NotFoundError("webhook", `${this.id}/${providerId}`);
    const result = await provider.parseWebhook(request);
    return { ...result, reports: result.reports.map((r) => this.priced(r)) };
  }

  /** Asks the provider that sent the message; null when it cannot be asked or knows nothing more yet. */
  async poll(query: PollQuery): Promise<DeliveryReport | null> {
    const provider = this.deps.providers.get(query.provider);
    const report = provider?.poll ? await provider.poll(query.providerMessageId, query.messageType) : null;
    return report && this.priced(report);
  }

  /** A vendor resend that went out gets its price (`prices.RESEND_<TYPE>`) when the report names its type. */
  private priced(report: DeliveryReport): DeliveryReport {
    const resend = report.details?.["resend"] as KakaoResend | undefined;
    if (!resend?.channel || resend.status === "sending" || resend.status === "failed") return report;
    const cost = { amount: this.config.prices[`RESEND_${resend.channel.toUpperCase() as "SMS" | "LMS" | "MMS"}`], currency: this.config.prices.currency };
    return { ...report, details: { ...report.details, resend: { ...resend, cost } } };
  }

  /**
   * Legacy Friendtalk becomes a Brand Message; targeting defaults from config; every rule is checked, then what
   * each provider cannot take (a failover must not meet content its provider refuses).
   */
  private payload(content: KakaoContent | Friendtalk): KakaoPayload {
    let payload: KakaoPayload;
    if (content.kind === "alimtalk") {
      const issues = alimTalkIssues(content, this.config.alimtalk.templates);
      if (issues.length) throw new ValidationError(`${this.id} content`, issues);
      payload = content;
    } else {
      const brand = content.kind === "friendtalk" ? friendtalkToBrandMessage(content) : content;
      const targeting = brand.targeting ?? this.config.targeting;
      // Re-check after conversion: a Friendtalk within its own limits can still break a Brand Message rule.
      const checked = BrandMessage.safeParse({ ...brand, targeting });
      if (!checked.success) throw ValidationError.fromZod(`${this.id} content`, checked.error);
      payload = { ...checked.data, targeting };
    }
    const issues: FieldIssue[] = this.deps.providers.list().flatMap((p) => p.issues?.(payload) ?? []);
    if (issues.length) throw new ValidationError(`${this.id} content`, issues);
    return payload;
  }

  /** "Outside sending hours" without a time from the provider: deferred to this channel's next opening. */
  private withNextOpening(e: unknown): unknown {
    if (!(e instanceof ChannelDeferredError) || e.notBefore !== undefined) return e;
    return new ChannelDeferredError(e.message, { providerCode: e.providerCode, notBefore: this.deps.window.nextOpen(this.deps.clock.now()), cause: e });
  }

  private cost(payload: KakaoPayload): Cost {
    return { amount: this.config.prices[messageType(payload)], currency: this.config.prices.currency };
  }
}

function messageType(payload: KakaoPayload): KakaoMessageType {
  return payload.kind === "alimtalk" ? "ALIMTALK" : `BMS_${payload.chatBubbleType}`;
}
