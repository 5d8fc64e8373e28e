import { z } from "zod";
import { ChannelRejectedError, ValidationError, vendorRequest, type Clock, type DeliveryReport, type FieldIssue, type SendResult, type WebhookRequest, type WebhookResult } from "@nudge/core";
import type { NhnCloudKakaoConfig } from "../config.js";
import { kakaoReportStatus, kakaoResultError, KAKAO_SUCCESS, nhnKakaoError } from "../errors.js";
import { kstToEpoch, parseNhnKakaoWebhook } from "../webhooks.js";
import { alimTalkBody, freestyleBody, NHN_BUBBLE_FIELDS } from "./nhncloud-body.js";
import type { KakaoPayload, KakaoProvider, KakaoSendRequest } from "./provider.js";

/**
 * NHN Cloud KakaoTalk Bizmessage. Brand Message: `POST /brand-message/v1.0/appkeys/{appkey}/freestyle-messages`
 * (https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/friendtalkupgrade-api-guide/); AlimTalk:
 * `POST /alimtalk/v2.3/appkeys/{appkey}/messages` (…/en/alimtalk-api-guide/). Both take `X-Secret-Key` and answer
 * `{ header { resultCode, resultMessage, isSuccessful }, message { requestId, sendResults[] } }`.
 * `X-NC-API-IDEMPOTENCY-KEY` is documented on the Friendtalk/AlimTalk APIs and its -1005 answer is listed as a
 * common code, so it is sent on both.
 */
/** Fields every bubble type takes (or that never reach the body as such). */
const COMMON_FIELDS = new Set(["kind", "chatBubbleType", "targeting", "adult", "pushAlarm"]);
/** NHN's IMAGE content limit (freestyle request table). */
const NHN_IMAGE_CONTENT = { max: 400, breaks: 29 };

const Header = z.object({ resultCode: z.number(), resultMessage: z.string().nullish(), isSuccessful: z.boolean() });
const SendAnswer = z.object({
  header: Header,
  message: z.object({ requestId: z.string(), sendResults: z.array(z.object({ recipientSeq: z.number().int(), recipientNo: z.string().nullish(), resultCode: z.number(), resultMessage: z.string().nullish() })) }).nullish(),
});
const PollAnswer = z.object({
  header: Header,
  message: z.object({ messageStatus: z.string().nullish(), resultCode: z.string().nullish(), resultCodeName: z.string().nullish(), receiveDate: z.string().nullish() }).nullish(),
});

export class NhnCloudKakaoProvider implements KakaoProvider {
  readonly id = "nhncloud";

  constructor(
    private readonly config: NhnCloudKakaoConfig,
    private readonly deps: { clock: Clock; timeoutMs: number; nextOpen: (at: number) => number },
  ) {}

  /**
   * What NHN's freestyle API refuses that the shared Brand Message rules allow: a field its bubble type does not
   * document (NHN_BUBBLE_FIELDS), an image without an uploaded URL, and IMAGE content over NHN's 400 characters or
   * 29 line breaks (Solapi takes 1,300).
   */
  issues(req: KakaoPayload): FieldIssue[] {
    if (req.kind !== "brand") return [];
    const m = req.message;
    const out: FieldIssue[] = [];
    const allowed = new Set<string>(NHN_BUBBLE_FIELDS[m.chatBubbleType]);
    for (const [name, value] of Object.entries(m)) {
      if (value !== undefined && !COMMON_FIELDS.has(name) && !allowed.has(name)) out.push({ path: name, message: `NHN Cloud's ${m.chatBubbleType} message takes no ${name}` });
    }
    const url = (path: string, img: { url?: string | undefined } | undefined) => {
      if (img && !img.url) out.push({ path, message: "NHN Cloud takes the URL of an uploaded image" });
    };
    url("image.url", m.image);
    m.items?.forEach((it, i) => url(`items[${i}].image.url`, it.image));
    url("carousel.head.image.url", m.carousel?.head?.image);
    m.carousel?.list.forEach((it, i) => url(`carousel.list[${i}].image.url`, it.image));
    if (m.video?.thumbnailId && !m.video.thumbnailUrl) out.push({ path: "video.thumbnailUrl", message: "NHN Cloud takes the thumbnail's uploaded image URL" });
    if (m.chatBubbleType === "IMAGE" && m.content !== undefined) {
      if (m.content.length > NHN_IMAGE_CONTENT.max) out.push({ path: "content", message: `NHN Cloud's IMAGE content holds at most ${NHN_IMAGE_CONTENT.max} characters, got ${m.content.length}` });
      if ((m.content.match(/\r\n|\r|\n/g) ?? []).length > NHN_IMAGE_CONTENT.breaks) out.push({ path: "content", message: `NHN Cloud's IMAGE content takes at most ${NHN_IMAGE_CONTENT.breaks} line breaks` });
    }
    return out;
  }

  async send(req: KakaoSendRequest): Promise<SendResult> {
    const brand = req.kind === "brand";
    const path = brand ? "/brand-message/v1.0/appkeys/{appkey}/freestyle-messages" : "/alimtalk/v2.3/appkeys/{appkey}/messages";
    const body = brand ? freestyleBody(this.config.senderKey, req.message, req.to, req.targeting, req.resend) : alimTalkBody(this.config.senderKey, req.message, req.to, req.resend);
    const answer = await vendorRequest(this.url(path), {
      method: "POST",
      headers: { ...this.headers(), "X-NC-API-IDEMPOTENCY-KEY": req.idempotencyKey },
      body: JSON.stringify(body),
      timeoutMs: this.deps.timeoutMs,
    });
    const parsed = SendAnswer.safeParse(answer.body);
    if (!parsed.success) throw new ChannelRejectedError(`NHN Cloud answered HTTP ${answer.status} with an unexpected body: ${ValidationError.fromZod("answer", parsed.error).message}`, { providerCode: `HTTP_${answer.status}` });
    const { header, message } = parsed.data;
    if (!header.isSuccessful) throw nhnKakaoError(header.resultCode, header.resultMessage ?? "");
    const result = message?.sendResults[0];
    if (!message || !result) throw new ChannelRejectedError("NHN Cloud accepted the request without a send result");
    const code = String(result.resultCode);
    // A per-recipient code other than 0 is Kakao's or NHN's verdict on this person (3018 not deliverable, 3022 hours ...).
    if (!KAKAO_SUCCESS.has(code)) {
      throw result.resultCode < 0 ? nhnKakaoError(result.resultCode, result.resultMessage ?? "") : kakaoResultError(code, result.resultMessage ?? "", () => this.deps.nextOpen(this.deps.clock.now()), "NHN Cloud/Kakao");
    }
    return { providerMessageId: `${message.requestId}:${result.recipientSeq}`, status: "sent", providerCode: code };
  }

  /** `GET …/messages/{requestId}/{recipientSeq}` on the Brand Message or AlimTalk API. */
  async poll(providerMessageId: string, messageType = "BMS_TEXT"): Promise<DeliveryReport | null> {
    const [requestId, seq] = providerMessageId.split(":");
    const base = messageType === "ALIMTALK" ? "/alimtalk/v2.3/appkeys/{appkey}/messages" : "/brand-message/v1.0/appkeys/{appkey}/messages";
    const answer = await vendorRequest(this.url(`${base}/${encodeURIComponent(requestId ?? "")}/${encodeURIComponent(seq ?? "")}`), { method: "GET", headers: this.headers(), timeoutMs: this.deps.timeoutMs });
    const parsed = PollAnswer.safeParse(answer.body);
    if (!parsed.success) throw new ChannelRejectedError(`NHN Cloud answered HTTP ${answer.status} with an unexpected body`);
    if (!parsed.data.header.isSuccessful) throw nhnKakaoError(parsed.data.header.resultCode, parsed.data.header.resultMessage ?? "");
    const m = parsed.data.message;
    if (!m) return null;
    const status = kakaoReportStatus(m.resultCode, m.messageStatus ?? undefined);
    const now = this.deps.clock.now();
    return { providerMessageId, status, ...(m.resultCode ? { providerCode: m.resultCode } : {}), ...(status === "failed" && m.resultCodeName ? { reason: m.resultCodeName } : {}), at: m.receiveDate ? kstToEpoch(m.receiveDate, now) : now };
  }

  parseWebhook(req: WebhookRequest): WebhookResult {
    return parseNhnKakaoWebhook(req, this.config.webhookSignature, this.deps.clock.now());
  }

  private url(path: string): string {
    return `${this.config.baseUrl.replace(/\/$/, "")}${path.replace("{appkey}", encodeURIComponent(this.config.appKey))}`;
  }

  private headers(): Record<string, string> {
    return { "Content-Type": "application/json;charset=UTF-8", "X-Secret-Key": this.config.secretKey };
  }
}
