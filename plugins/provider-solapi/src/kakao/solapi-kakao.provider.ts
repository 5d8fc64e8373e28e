import { RecipientUnreachableError, type Clock, type DeliveryReport, type FieldIssue, type ProviderCall, type SendResult, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { KAKAO_CHANNEL_KIND, koreanNational, type KakaoPayload, type KakaoProvider } from "@nudge/channel-kakao";
import { solapiMessageError } from "../errors.js";
import { SolapiClient } from "../solapi-client.js";
import { solapiBms } from "./bms-body.js";
import type { SolapiKakaoConfig } from "./config.js";
import { solapiKakaoIssues } from "./issues.js";
import { parseSolapiKakaoWebhook } from "./webhooks.js";

/**
 * The kakao provider "solapi": Solapi messages v4 (signing, posting and lookup in solapi-client.ts). Brand Message
 * is `type: "BMS_FREE"` with `kakaoOptions { pfId, bms { targeting, chatBubbleType, ... } }` (solapi/solapi-nodejs
 * models/base/kakao/kakaoOption.ts); AlimTalk is `type: "ATA"` with `kakaoOptions { pfId, templateId, variables
 * { "#{name}": value }, disableSms }`. Refusals use Solapi's status codes (status-codes.ts): 3102 not a channel
 * friend, 3104 not a KakaoTalk user and 3107 are unreachable; 3108 outside sending hours defers (the channel sets
 * the time from its sending window); 3101, 3103, 3105, 3106 and 1062 are permanent.
 */
export class SolapiKakaoProvider implements KakaoProvider {
  readonly id = "solapi";
  readonly channel = KAKAO_CHANNEL_KIND;
  // Solapi documents no idempotency key, and `allowDuplicates: false` refuses repeats by content, not by a key of
  // ours; its message list has no criteria for custom fields, so there is no lookup by our ids either.
  readonly idempotency = "none" as const;
  /** Solapi's own SMS fallback (AlimTalk), when configured: the channel then refuses a Nudge fallback after it. */
  readonly resend: { type?: undefined } | undefined;
  private readonly client: SolapiClient;

  constructor(
    private readonly config: SolapiKakaoConfig,
    private readonly clock: Clock,
  ) {
    this.client = new SolapiClient(config, { clock, timeoutMs: config.timeoutMs });
    this.resend = config.resend.enabled ? {} : undefined;
  }

  issues(payload: KakaoPayload): FieldIssue[] {
    return solapiKakaoIssues(payload);
  }

  async send({ to, payload, context }: ProviderCall<KakaoPayload>): Promise<SendResult> {
    const national = koreanNational(to);
    if (!national) throw new RecipientUnreachableError("Kakao messages go to Korean mobile numbers only", { providerCode: "NUDGE_NO_ROUTE" });
    const { resend } = this.config;
    // `from` is required on every Solapi message, Kakao types included (config.ts cites the reference).
    const from = this.config.from.replace(/\D/g, "");
    const message: Record<string, unknown> =
      payload.kind === "brand"
        ? { to: national, from, type: "BMS_FREE", ...(payload.content ? { text: payload.content } : {}), kakaoOptions: { pfId: this.config.pfId, bms: solapiBms(payload) } }
        : {
            to: national,
            from,
            type: "ATA",
            kakaoOptions: {
              pfId: this.config.pfId,
              templateId: payload.templateCode,
              variables: Object.fromEntries(Object.entries(payload.variables).map(([k, v]) => [`#{${k}}`, v])),
              // Solapi's own SMS fallback, off unless configured (Nudge's chain falls back otherwise).
              disableSms: !resend.enabled,
            },
          };
    // Not an idempotency key (Solapi has none): it lets a person trace the message in Solapi's console.
    message["customFields"] = { nudgeIdempotencyKey: context.idempotencyKey };
    const sent = await this.client.send(message);
    if (!sent.accepted) throw solapiMessageError(sent.statusCode, sent.statusMessage, { vendor: "Solapi" });
    return { providerMessageId: sent.messageId, status: "sent", providerCode: sent.statusCode };
  }

  poll(providerMessageId: string): Promise<DeliveryReport | null> {
    return this.client.report(providerMessageId);
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    return parseSolapiKakaoWebhook(request, this.config.webhookToken, this.clock.now());
  }
}
