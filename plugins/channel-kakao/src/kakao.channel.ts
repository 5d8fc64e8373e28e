import {
  ChannelDeferredError,
  NotFoundError,
  RecipientUnreachableError,
  ValidationError,
  usableContact,
  type Channel,
  type Clock,
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
import type { KakaoMessageType, KakaoPayload, KakaoProvider } from "./provider.js";
import type { SendingWindowClock } from "./sending-window.js";

export interface KakaoChannelOptions {
  id: string;
  contentSchema: ZodType<KakaoContent | Friendtalk>;
  /** kakao-friendtalk: every message is a Brand Message, so a known non-friend has no address. */
  brandOnly: boolean;
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

  constructor(
    private readonly config: KakaoConfig,
    private readonly options: KakaoChannelOptions,
    private readonly deps: KakaoChannelDeps,
  ) {
    this.id = options.id;
    this.providers = deps.providers.ids;
    this.contentSchema = options.contentSchema;
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
    return provider.parseWebhook(request);
  }

  /** Asks the provider that sent the message; null when it cannot be asked or knows nothing more yet. */
  async poll(query: PollQuery): Promise<DeliveryReport | null> {
    const provider = this.deps.providers.get(query.provider);
    return provider?.poll ? provider.poll(query.providerMessageId, query.messageType) : null;
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
