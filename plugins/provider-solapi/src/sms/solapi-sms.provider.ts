import { ChannelRejectedError, type Clock, type DeliveryReport, type ProviderCall, type SendResult, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { nationalNumber, type SmsPayload, type SmsProvider } from "@nudge/channel-sms";
import { solapiMessageError } from "../errors.js";
import { SolapiClient } from "../solapi-client.js";
import type { SolapiSmsConfig } from "./config.js";
import { parseSolapiSmsWebhook, solapiSmsReport } from "./webhooks.js";

/**
 * The sms provider "solapi": Solapi messages v4 (signing, posting and lookup in solapi-client.ts). Each message is
 * `{ to, from, text, type, subject?, imageId?, customFields? }` (solapi/solapi-nodejs
 * src/services/messages/messageService.ts); Nudge's idempotency key travels in `customFields` so a person can
 * trace it in Solapi's console.
 */
export class SolapiSmsProvider implements SmsProvider {
  readonly id = "solapi";
  readonly channel = "sms";
  // Solapi documents no idempotency key, and `allowDuplicates: false` refuses repeats by content, not by a key of
  // ours; no lookup by our ids is implemented. A send of unknown outcome is therefore settled as unknown.
  readonly idempotency = "none" as const;
  // A Solapi message carries one `imageId`; Solapi's MMS limit is 200 KB (KOREA-CHANNELS.md).
  readonly images = { max: 1, maxBytes: 200 * 1024 };
  private readonly client: SolapiClient;

  constructor(
    private readonly config: SolapiSmsConfig,
    private readonly clock: Clock,
  ) {
    this.client = new SolapiClient(config, { clock, timeoutMs: config.timeoutMs });
  }

  async send({ to, payload, context }: ProviderCall<SmsPayload>): Promise<SendResult> {
    if (payload.type === "INTL_SMS" || payload.from === undefined) {
      throw new ChannelRejectedError("Solapi is set up here for Korean numbers only: list it in `providers`, not `international`", { providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    }
    const message: Record<string, unknown> = {
      to: nationalNumber(to),
      from: nationalNumber(payload.from),
      text: payload.text,
      type: payload.type,
      customFields: { nudgeIdempotencyKey: context.idempotencyKey },
    };
    if (payload.type !== "SMS" && payload.title) message["subject"] = payload.title;
    if (payload.images?.[0]) message["imageId"] = payload.images[0].ref;
    const sent = await this.client.send(message);
    if (!sent.accepted) throw solapiMessageError(sent.statusCode, sent.statusMessage);
    return { providerMessageId: sent.messageId, status: "sent", messageType: payload.type, providerCode: sent.statusCode };
  }

  async poll(providerMessageId: string): Promise<DeliveryReport | null> {
    const r = await this.client.report(providerMessageId);
    return r ? solapiSmsReport(r.providerMessageId, r.providerCode ?? "", r.reason, r.at) : null;
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    return parseSolapiSmsWebhook(request, this.config.webhookToken, this.clock.now());
  }
}
