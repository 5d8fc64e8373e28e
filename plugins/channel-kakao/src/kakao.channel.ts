import {
  RecipientUnreachableError,
  type SandboxProvider,
  ValidationError,
  usableContact,
  type Channel,
  type Cost,
  type DeliveryReport,
  type FieldIssue,
  type Logger,
  type OutboundMessage,
  type Prepared,
  type Profile,
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
import type { KakaoPayload, KakaoProvider, KakaoSendRequest } from "./providers/provider.js";

type Normalized = KakaoPayload;

export interface KakaoChannelOptions {
  id: string;
  contentSchema: ZodType<KakaoContent | Friendtalk>;
  /** kakao-friendtalk: every message is a Brand Message, so a known non-friend has no address. */
  brandOnly: boolean;
}

/**
 * A Kakao channel: Brand Message (and legacy Friendtalk, converted) and AlimTalk through one provider.
 * A Brand Message targeting I reaches channel friends only: a person known not to be a friend is reported
 * unreachable before any provider call, so the dispatcher falls back (e.g. to LMS) instead of paying for a
 * message Kakao would drop.
 */
export class KakaoChannel implements Channel<KakaoContent | Friendtalk> {
  readonly id: string;
  readonly provider: string;
  readonly contentSchema: ZodType<KakaoContent | Friendtalk>;

  constructor(
    private readonly config: KakaoConfig,
    private readonly options: KakaoChannelOptions,
    private readonly deps: { provider: KakaoProvider | null; sandbox: SandboxProvider | null; logger: Logger },
  ) {
    this.id = options.id;
    this.provider = config.provider.type;
    this.contentSchema = options.contentSchema;
  }

  address(profile: Profile): string | null {
    const phone = usableContact(profile, "phone");
    if (!phone || !koreanNational(phone)) return null;
    if (this.options.brandOnly && this.config.targeting === "I" && profile.contacts.kakao?.channelFriend === false) return null;
    return phone;
  }

  prepare(content: KakaoContent | Friendtalk): Prepared {
    const n = this.normalize(content);
    return { messageType: messageType(n), cost: this.cost(n) };
  }

  async send(message: OutboundMessage<KakaoContent | Friendtalk>): Promise<SendResult> {
    const n = this.normalize(message.content);
    const { context } = message;
    if (n.kind === "brand" && n.targeting === "I" && context.profile.contacts.kakao?.channelFriend === false) {
      throw new RecipientUnreachableError("not a friend of the Kakao channel (Brand Message targeting I reaches friends only)", { providerCode: "NUDGE_NOT_CHANNEL_FRIEND" });
    }
    const to = koreanNational(message.to);
    if (!to) throw new RecipientUnreachableError("Kakao messages go to Korean mobile numbers only", { providerCode: "NUDGE_NO_ROUTE" });
    const type = messageType(n);
    this.deps.logger.debug({ messageId: context.messageId, type, provider: this.provider }, "sending kakao message");
    const cost = this.cost(n);
    if (this.deps.sandbox) return { ...(await this.deps.sandbox.send({ ...message, content: n.message }, type)), cost };
    const base = { to, messageId: context.messageId, idempotencyKey: context.idempotencyKey, resend: this.config.resend };
    const req: KakaoSendRequest = { ...base, ...n };
    return { ...(await this.deps.provider!.send(req)), messageType: type, cost };
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (!this.deps.provider) throw new ValidationError("kakao webhook", [{ path: "provider", message: "the sandbox provider takes no webhooks" }]);
    return this.deps.provider.parseWebhook(request);
  }

  /** Asks the provider for a delivery result (hosts that poll instead of taking webhooks). */
  async poll(providerMessageId: string, messageType?: string): Promise<DeliveryReport | null> {
    return this.deps.provider ? this.deps.provider.poll(providerMessageId, messageType) : null;
  }

  /** Legacy Friendtalk becomes a Brand Message; targeting defaults from config; every rule is checked. */
  private normalize(content: KakaoContent | Friendtalk): Normalized {
    let n: Normalized;
    if (content.kind === "alimtalk") {
      n = { kind: "alimtalk", message: content };
      const issues = alimTalkIssues(content, this.config.alimtalk.templates);
      if (issues.length) throw new ValidationError(`${this.id} content`, issues);
    } else {
      const brand = content.kind === "friendtalk" ? friendtalkToBrandMessage(content) : content;
      const targeting = brand.targeting ?? this.config.targeting;
      // Re-check after conversion: a Friendtalk within its own limits can still break a Brand Message rule.
      const checked = BrandMessage.safeParse({ ...brand, targeting });
      if (!checked.success) throw ValidationError.fromZod(`${this.id} content`, checked.error);
      n = { kind: "brand", message: checked.data, targeting };
    }
    const issues: FieldIssue[] = this.deps.provider?.issues(n) ?? [];
    if (issues.length) throw new ValidationError(`${this.id} content`, issues);
    return n;
  }

  private cost(n: Normalized): Cost {
    const key = messageType(n) as keyof Omit<KakaoConfig["prices"], "currency">;
    return { amount: this.config.prices[key], currency: this.config.prices.currency };
  }
}

function messageType(n: Normalized): string {
  return n.kind === "alimtalk" ? "ALIMTALK" : `BMS_${n.message.chatBubbleType}`;
}
