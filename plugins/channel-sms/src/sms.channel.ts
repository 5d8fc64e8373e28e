import {
  NotFoundError,
  RecipientUnreachableError,
  ValidationError,
  usableContact,
  type Channel,
  type ContentClass,
  type Cost,
  type DeliveryReport,
  type Logger,
  type OutboundMessage,
  type PollQuery,
  type Prepared,
  type Profile,
  type ProviderRateLimit,
  type ProviderSet,
  type SendContext,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from "@nudge/core";
import type { SmsConfig } from "./config.js";
import { adLabelAtStart, SmsContent } from "./content.js";
import { internationalSegments } from "./international.js";
import { planKoreanMessage } from "./message-plan.js";
import { isKorean, parsePhone, type PhoneNumber } from "./phone.js";
import type { SmsMessageType, SmsPayload, SmsProvider, SmsSendDetails } from "./provider.js";
import { SenderNumberRegistry } from "./senders.js";

/** The providers of one sms channel: Korean numbers, and (when configured) numbers elsewhere. */
export interface SmsProviderSets {
  korean: ProviderSet<SmsProvider>;
  international: ProviderSet<SmsProvider> | null;
}

interface Route {
  to: PhoneNumber;
  korean: boolean;
}

interface Plan {
  prepared: Prepared & { messageType: SmsMessageType; cost: Cost };
  payload: SmsPayload;
  /** International texts: the segments the channel counted, for the price when the provider reports none. */
  segments?: number;
}

// Before any provider declares limits (the sandbox declares none): NHN Cloud's, the most generous Korean vendor's.
const DEFAULT_IMAGES = { max: 3, maxBytes: 300 * 1024 };

/**
 * The sms channel: SMS/LMS/MMS to Korean numbers, planned by EUC-KR bytes and sent through the `providers` in
 * failover order, and plain SMS to other countries through the `international` providers. Numbers are E.164
 * inside Nudge; providers convert them at the edge.
 */
export class SmsChannel implements Channel<SmsContent> {
  readonly id: string;
  /** Korean providers, then international ones: every provider whose webhooks and polls this channel answers. */
  readonly providers: readonly string[];
  readonly contentSchema = SmsContent;
  readonly senders: SenderNumberRegistry;

  constructor(
    private readonly config: SmsConfig,
    private readonly sets: SmsProviderSets,
    private readonly logger: Logger,
  ) {
    this.id = config.id;
    this.providers = [...new Set([...config.providers, ...config.international])];
    this.senders = new SenderNumberRegistry(config.senders);
  }

  /** The first Korean provider's documented limits (the host's dispatch settings override them). */
  get rateLimit(): ProviderRateLimit | undefined {
    return this.sets.korean.list()[0]?.rateLimit;
  }

  address(profile: Profile): string | null {
    const raw = usableContact(profile, "phone");
    const phone = raw ? parsePhone(raw) : null;
    if (!phone) return null;
    // Outside Korea only the international providers deliver; without them the person falls back to the next channel.
    if (!isKorean(phone) && !this.sets.international) return null;
    return phone.e164;
  }

  /** A text starting with "(광고)" (or a variant label) is advertising, whatever the send's flag says (정보통신망법 §50④). */
  classify(content: SmsContent): ContentClass | undefined {
    const label = adLabelAtStart(content.text);
    if (label === null) return undefined;
    return { kind: "advertising", reason: label === "(광고)" ? "text starts with (광고)" : `text starts with ${label}, a variant of (광고)` };
  }

  prepare(content: SmsContent, context: SendContext): Prepared {
    const address = this.address(context.profile);
    if (!address) return {};
    return this.plan(content, this.route(address), context.marketing).prepared;
  }

  async send(message: OutboundMessage<SmsContent>): Promise<SendResult> {
    const route = this.route(message.to);
    const { content, context } = message;
    const { prepared, payload, segments } = this.plan(content, route, context.marketing);
    const set = route.korean ? this.sets.korean : this.sets.international!;
    this.logger.debug({ messageId: context.messageId, type: payload.type, providers: set.ids }, "sending sms");
    const result = await set.send({ to: route.to.e164, payload, messageType: payload.type, context });
    const billed = (result.details as SmsSendDetails | undefined)?.segments;
    const cost = payload.type === "INTL_SMS" ? this.cost("INTL_SMS", billed ?? segments) : prepared.cost;
    return { ...result, cost };
  }

  /** Hands the webhook to the provider named in its URL; NotFoundError when that provider is not ours or takes none. */
  async parseWebhook(request: WebhookRequest, providerId: string): Promise<WebhookResult> {
    const provider = this.provider(providerId);
    if (!provider?.parseWebhook) throw new NotFoundError("webhook", `${this.id}/${providerId}`);
    return provider.parseWebhook(request);
  }

  /** Asks the provider that sent the message; null when it cannot be asked or knows nothing more yet. */
  async poll(query: PollQuery): Promise<DeliveryReport | null> {
    const provider = this.provider(query.provider);
    return provider?.poll ? provider.poll(query.providerMessageId, query.messageType) : null;
  }

  private provider(id: string): SmsProvider | undefined {
    return this.sets.korean.get(id) ?? this.sets.international?.get(id);
  }

  private route(address: string): Route {
    const to = parsePhone(address);
    if (!to) throw new RecipientUnreachableError(`not a phone number`, { providerCode: "NUDGE_INVALID_NUMBER" });
    const korean = isKorean(to);
    if (!korean && !this.sets.international) {
      throw new RecipientUnreachableError("no provider for numbers outside Korea (list one in `international`)", { providerCode: "NUDGE_NO_ROUTE" });
    }
    return { to, korean };
  }

  private plan(content: SmsContent, route: Route, marketing: boolean): Plan {
    if (!route.korean) return this.planInternational(content, marketing);
    // A sender that is not registered is refused before any provider sees it.
    const from = this.senders.pick(content.from);
    // MMS image refs are the first provider's file ids, so its limits are the ones that apply.
    const first = this.sets.korean.list()[0];
    // CP949's extra syllables only when every provider the message may fail over to documents CP949.
    const encoding = this.sets.korean.list().every((p) => p.encoding === "cp949") && first ? "cp949" : "euc-kr";
    const plan = planKoreanMessage(content, { images: first?.images ?? DEFAULT_IMAGES, marketing, provider: first?.id ?? "sandbox", encoding });
    const payload: SmsPayload = { type: plan.type, from: from.e164, text: content.text, ad: marketing };
    if (plan.title !== undefined) payload.title = plan.title;
    if (content.images?.length) payload.images = content.images;
    return { prepared: { messageType: plan.type, cost: this.cost(plan.type) }, payload };
  }

  private planInternational(content: SmsContent, marketing: boolean): Plan {
    const first = this.sets.international!.list()[0];
    const max = first?.maxTextChars;
    if (max !== undefined && content.text.length > max) {
      throw new ValidationError("sms content", [{ path: "text", message: `${content.text.length} characters; ${first!.id} takes at most ${max}` }]);
    }
    if (content.images?.length) throw new ValidationError("sms content", [{ path: "images", message: "MMS images are sent to Korean numbers only" }]);
    const segments = internationalSegments(content.text);
    return { prepared: { messageType: "INTL_SMS", cost: this.cost("INTL_SMS", segments) }, payload: { type: "INTL_SMS", text: content.text, ad: marketing }, segments };
  }

  private cost(type: SmsMessageType, count = 1): Cost {
    return { amount: this.config.prices[type] * count, currency: this.config.prices.currency };
  }
}
