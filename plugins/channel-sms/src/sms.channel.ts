import {
  RecipientUnreachableError,
  SandboxProvider,
  ValidationError,
  usableContact,
  type Channel,
  type Clock,
  type Cost,
  type DeliveryReport,
  type Logger,
  type OutboundMessage,
  type Prepared,
  type Profile,
  type SandboxOutbox,
  type SendContext,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from "@nudge/core";
import type { SmsConfig } from "./config.js";
import { SmsContent } from "./content.js";
import { planKoreanMessage } from "./message-plan.js";
import { isKorean, parsePhone, type PhoneNumber } from "./phone.js";
import { NhnCloudSmsProvider } from "./providers/nhncloud.provider.js";
import type { SmsProvider } from "./providers/provider.js";
import { SolapiSmsProvider } from "./providers/solapi.provider.js";
import { TwilioSmsProvider } from "./providers/twilio.provider.js";
import { SenderNumberRegistry } from "./senders.js";

interface Route {
  to: PhoneNumber;
  korean: boolean;
}

/** Twilio's own ceiling for one message body. */
const TWILIO_MAX_CHARS = 1600;

/**
 * The sms channel: SMS/LMS/MMS to Korean numbers through one Korean provider (NHN Cloud, Solapi or the
 * sandbox), and plain SMS to other countries through Twilio when configured. Numbers are E.164 inside
 * Nudge and converted to each provider's format at the edge.
 */
export class SmsChannel implements Channel<SmsContent> {
  readonly id: string;
  readonly provider: string;
  readonly contentSchema = SmsContent;
  readonly senders: SenderNumberRegistry;
  private readonly korean: SmsProvider | null;
  private readonly sandbox: SandboxProvider | null;
  private readonly twilio: TwilioSmsProvider | null;
  private readonly logger: Logger;

  constructor(
    private readonly config: SmsConfig,
    deps: { clock: Clock; logger: Logger; outbox: SandboxOutbox },
  ) {
    this.id = config.id;
    this.provider = config.provider.type;
    this.senders = new SenderNumberRegistry(config.senders);
    const p = config.provider;
    this.korean = p.type === "nhncloud" ? new NhnCloudSmsProvider(p, config.timeoutMs, deps.clock) : p.type === "solapi" ? new SolapiSmsProvider(p, config.timeoutMs, deps.clock) : null;
    this.sandbox = p.type === "sandbox" ? new SandboxProvider(config.id, { ...p, provider: "sandbox" }, deps.outbox, deps.clock) : null;
    this.twilio = config.twilio ? new TwilioSmsProvider(config.twilio, config.timeoutMs, deps.clock) : null;
    this.logger = deps.logger;
  }

  address(profile: Profile): string | null {
    const raw = usableContact(profile, "phone");
    const phone = raw ? parsePhone(raw) : null;
    if (!phone) return null;
    // Outside Korea only Twilio can deliver; without it the person falls back to the next channel.
    if (!isKorean(phone) && !this.twilio) return null;
    return phone.e164;
  }

  prepare(content: SmsContent, context: SendContext): Prepared {
    const address = this.address(context.profile);
    if (!address) return {};
    return this.plan(content, this.route(address), context.marketing).prepared;
  }

  async send(message: OutboundMessage<SmsContent>): Promise<SendResult> {
    const route = this.route(message.to);
    const { content, context } = message;
    const { prepared, title } = this.plan(content, route, context.marketing);
    const type = prepared.messageType as "SMS" | "LMS" | "MMS" | "INTL_SMS";
    this.logger.debug({ messageId: context.messageId, type, provider: route.korean ? this.provider : "twilio" }, "sending sms");
    if (!route.korean) {
      const r = await this.twilio!.send({ to: route.to.e164, text: content.text });
      return { ...r, cost: this.cost("INTL_SMS", r.segments) };
    }
    if (this.sandbox) return { ...(await this.sandbox.send(message, type)), cost: prepared.cost! };
    const from = this.senders.pick(content.from);
    const result = await this.korean!.send({
      to: route.to,
      from,
      type: type as "SMS" | "LMS" | "MMS",
      text: content.text,
      title,
      images: content.images,
      ad: context.marketing,
      messageId: context.messageId,
      idempotencyKey: context.idempotencyKey,
    });
    return { ...result, cost: prepared.cost! };
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (request.headers["x-twilio-signature"] !== undefined) {
      if (!this.twilio) throw new ValidationError("sms webhook", [{ path: "twilio", message: "Twilio is not configured" }]);
      return this.twilio.parseWebhook(request);
    }
    if (!this.korean?.parseWebhook) throw new ValidationError("sms webhook", [{ path: "provider", message: `provider "${this.provider}" takes no webhooks` }]);
    return this.korean.parseWebhook(request);
  }

  /** Asks the provider for a delivery result; null when the provider cannot say (yet). */
  async poll(providerMessageId: string, messageType?: string): Promise<DeliveryReport | null> {
    return this.korean?.poll ? this.korean.poll(providerMessageId, messageType) : null;
  }

  private route(address: string): Route {
    const to = parsePhone(address);
    if (!to) throw new RecipientUnreachableError(`not a phone number`, { providerCode: "NUDGE_INVALID_NUMBER" });
    const korean = isKorean(to);
    if (!korean && !this.twilio) throw new RecipientUnreachableError("no provider for numbers outside Korea (configure twilio)", { providerCode: "NUDGE_NO_ROUTE" });
    return { to, korean };
  }

  private plan(content: SmsContent, route: Route, marketing: boolean): { prepared: Prepared; title?: string | undefined } {
    if (!route.korean) {
      if (content.text.length > TWILIO_MAX_CHARS) {
        throw new ValidationError("sms content", [{ path: "text", message: `${content.text.length} characters; Twilio takes at most ${TWILIO_MAX_CHARS}` }]);
      }
      if (content.images?.length) throw new ValidationError("sms content", [{ path: "images", message: "MMS images are sent to Korean numbers only" }]);
      return { prepared: { messageType: "INTL_SMS", cost: this.cost("INTL_SMS", segments(content.text)) } };
    }
    // A sender that is not registered is refused before any provider sees it.
    this.senders.pick(content.from);
    const images = this.korean?.images ?? { max: 3, maxBytes: 300 * 1024 };
    const plan = planKoreanMessage(content, { images, marketing, provider: this.provider });
    return { prepared: { messageType: plan.type, cost: this.cost(plan.type) }, title: plan.title };
  }

  private cost(type: "SMS" | "LMS" | "MMS" | "INTL_SMS", count = 1): Cost {
    return { amount: this.config.prices[type] * count, currency: this.config.prices.currency };
  }
}

/** GSM-7 texts split every 153 characters, others (UCS-2) every 67, once longer than one segment. */
function segments(text: string): number {
  const gsm = /^[\u0000-\u007f£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà]*$/.test(text);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  return text.length <= single ? 1 : Math.ceil(text.length / multi);
}
