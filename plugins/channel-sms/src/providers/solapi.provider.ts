import type { Clock, DeliveryReport, SendResult, WebhookRequest, WebhookResult } from "@nudge/core";
import { SolapiClient } from "@nudge/provider-solapi";
import type { SolapiSmsConfig } from "../config.js";
import { solapiStatusError } from "../errors.js";
import { parseSolapiWebhook, solapiSmsReport } from "../webhooks.js";
import type { SmsProvider, SmsRequest } from "./provider.js";

/**
 * Solapi messages v4 (the signing, posting and lookup are in @nudge/provider-solapi). Each message is
 * `{ to, from, text, type, subject?, imageId?, customFields? }` (solapi/solapi-nodejs
 * src/services/messages/messageService.ts); our idempotency key travels in `customFields` so a person can
 * trace it in Solapi's console.
 */
export class SolapiSmsProvider implements SmsProvider {
  readonly id = "solapi";
  // A Solapi message carries one `imageId`; Solapi's MMS limit is 200 KB (KOREA-CHANNELS.md).
  readonly images = { max: 1, maxBytes: 200 * 1024 };
  private readonly client: SolapiClient;

  constructor(
    private readonly config: SolapiSmsConfig,
    timeoutMs: number,
    private readonly clock: Clock,
  ) {
    this.client = new SolapiClient(config, { clock, timeoutMs });
  }

  async send(req: SmsRequest): Promise<SendResult> {
    const message: Record<string, unknown> = {
      to: req.to.national,
      from: req.from.national,
      text: req.text,
      type: req.type,
      customFields: { nudgeIdempotencyKey: req.idempotencyKey },
    };
    if (req.type !== "SMS" && req.title) message["subject"] = req.title;
    if (req.images?.[0]) message["imageId"] = req.images[0].ref;
    const sent = await this.client.send(message);
    if (!sent.accepted) throw solapiStatusError(sent.statusCode, sent.statusMessage);
    return { providerMessageId: sent.messageId, status: "sent", messageType: req.type, providerCode: sent.statusCode };
  }

  async poll(providerMessageId: string): Promise<DeliveryReport | null> {
    const r = await this.client.report(providerMessageId);
    return r ? solapiSmsReport(r.providerMessageId, r.providerCode ?? "", r.reason, r.at) : null;
  }

  parseWebhook(req: WebhookRequest): WebhookResult {
    return parseSolapiWebhook(req, this.config.webhookToken, this.clock.now());
  }
}
