import type { Clock, DeliveryReport, FieldIssue, SendResult, WebhookRequest, WebhookResult } from "@nudge/core";
import { SolapiClient } from "@nudge/provider-solapi";
import type { SolapiKakaoConfig } from "../config.js";
import { solapiKakaoError } from "../errors.js";
import { parseSolapiKakaoWebhook } from "../webhooks.js";
import { solapiBms } from "./solapi-body.js";
import type { KakaoPayload, KakaoProvider, KakaoSendRequest } from "./provider.js";

/**
 * Solapi messages v4 (the signing, posting and lookup are in @nudge/provider-solapi). Brand Message is
 * `type: "BMS_FREE"` with `kakaoOptions { pfId, bms { targeting, chatBubbleType, ... } }` (solapi/solapi-nodejs
 * models/base/kakao/kakaoOption.ts); AlimTalk is `type: "ATA"` with `kakaoOptions { pfId, templateId, variables { "#{name}": value } }`.
 */
export class SolapiKakaoProvider implements KakaoProvider {
  readonly id = "solapi";
  private readonly client: SolapiClient;

  constructor(
    private readonly config: SolapiKakaoConfig,
    private readonly deps: { clock: Clock; timeoutMs: number; nextOpen: (at: number) => number },
  ) {
    this.client = new SolapiClient(config, deps);
  }

  issues(req: KakaoPayload): FieldIssue[] {
    if (req.kind !== "brand") return [];
    const out: FieldIssue[] = [];
    const need = (path: string, img: { id?: string | undefined } | undefined) => {
      if (img && !img.id) out.push({ path, message: "Solapi takes the imageId of an image uploaded to Solapi storage" });
    };
    need("image.id", req.message.image);
    req.message.items?.forEach((it, i) => need(`items[${i}].image.id`, it.image));
    need("carousel.head.image.id", req.message.carousel?.head?.image);
    req.message.carousel?.list.forEach((it, i) => need(`carousel.list[${i}].image.id`, it.image));
    if (req.message.video?.thumbnailUrl && !req.message.video.thumbnailId) out.push({ path: "video.thumbnailId", message: "Solapi takes the thumbnail's storage imageId" });
    // The SDK sends the first item as mainWideItem and wants at least 3 in subWideItemList (models/base/kakao/kakaoOption.ts).
    const items = req.message.items;
    if (req.message.chatBubbleType === "WIDE_ITEM_LIST" && items && items.length < 4) out.push({ path: "items", message: "Solapi takes a main item and at least 3 sub items (4 items)" });
    return out;
  }

  async send(req: KakaoSendRequest): Promise<SendResult> {
    const message: Record<string, unknown> =
      req.kind === "brand"
        ? { to: req.to, type: "BMS_FREE", ...(req.message.content ? { text: req.message.content } : {}), kakaoOptions: { pfId: this.config.pfId, bms: solapiBms(req.message, req.targeting) } }
        : {
            to: req.to,
            type: "ATA",
            ...(req.resend.enabled && req.resend.sendNo ? { from: req.resend.sendNo.replace(/\D/g, "") } : {}),
            kakaoOptions: {
              pfId: this.config.pfId,
              templateId: req.message.templateCode,
              variables: Object.fromEntries(Object.entries(req.message.variables).map(([k, v]) => [`#{${k}}`, v])),
              // Solapi's own SMS fallback, off unless configured (Nudge's chain falls back otherwise).
              disableSms: !req.resend.enabled,
            },
          };
    message["customFields"] = { nudgeIdempotencyKey: req.idempotencyKey };
    const sent = await this.client.send(message);
    if (!sent.accepted) throw solapiKakaoError(sent.statusCode, sent.statusMessage, () => this.deps.nextOpen(this.deps.clock.now()));
    return { providerMessageId: sent.messageId, status: "sent", providerCode: sent.statusCode };
  }

  poll(providerMessageId: string): Promise<DeliveryReport | null> {
    return this.client.report(providerMessageId);
  }

  parseWebhook(req: WebhookRequest): WebhookResult {
    return parseSolapiKakaoWebhook(req, this.config.webhookToken, this.deps.clock.now());
  }
}
