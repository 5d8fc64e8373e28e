import {
  ChannelRejectedError,
  ChannelUnavailableError,
  RecipientUnreachableError,
  type Clock,
  type DeliveryReport,
  type FieldIssue,
  type ProviderCall,
  type SendContext,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from "@nudge/core";
import { KAKAO_CHANNEL_KIND, koreanNational, type KakaoPayload, type KakaoProvider } from "@nudge/channel-kakao";
import { PollAnswer, SendAnswer, type ListedMessage } from "./answers.js";
import { alimTalkBody, freestyleBody } from "./body.js";
import { NhnKakaoClient, type NhnKakaoApi } from "./client.js";
import type { NhnCloudKakaoConfig } from "./config.js";
import { kakaoReportStatus, kakaoResultError, KAKAO_SUCCESS, KAKAO_UNCERTAIN, nhnKakaoError } from "./errors.js";
import { nhnKakaoIssues } from "./issues.js";
import { kstToEpoch } from "../shared/kst.js";
import { findByGroupingKey, groupingKey } from "./lookup.js";
import { parseNhnKakaoWebhook } from "./webhooks.js";
import { nhnResendDetails } from "./resend.js";

/** -1005: "The same 'X-NC-API-IDEMPOTENCY-KEY' was used within the last 10 minute." (error-code guide, common codes). */
const REPEATED_KEY = -1005;

/**
 * NHN Cloud KakaoTalk Bizmessage. Brand Message: `POST /brand-message/v1.0/appkeys/{appkey}/freestyle-messages`
 * (https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/friendtalkupgrade-api-guide/); AlimTalk:
 * `POST /alimtalk/v2.3/appkeys/{appkey}/messages` (…/ko/alimtalk-api-guide/).
 *
 * Idempotency is "lookup": each recipient carries Nudge's key as `recipientGroupingKey`, which the documented
 * message lists filter by, so `lookup(context)` finds what was sent. Sends also carry `X-NC-API-IDEMPOTENCY-KEY`
 * (documented on the AlimTalk send; the Brand Message guide lists its -1005 answer among the common codes), but
 * that key only refuses a repeat for 10 minutes and does not answer with the first message, so it is a guard, not
 * a way to resend: a refused repeat is resolved by the lookup.
 */
export class NhnCloudKakaoProvider implements KakaoProvider {
  readonly id = "nhncloud";
  readonly channel = KAKAO_CHANNEL_KIND;
  readonly idempotency = "lookup" as const;
  /** NHN's own SMS/LMS fallback, when configured: the channel then refuses a Nudge fallback after it. */
  readonly resend: { type?: "SMS" | "LMS" | undefined } | undefined;
  private readonly client: NhnKakaoClient;

  constructor(
    private readonly config: NhnCloudKakaoConfig,
    private readonly clock: Clock,
  ) {
    this.client = new NhnKakaoClient(config);
    this.resend = config.resend.enabled ? { type: config.resend.type } : undefined;
  }

  issues(payload: KakaoPayload): FieldIssue[] {
    return nhnKakaoIssues(payload);
  }

  async send({ to, payload, context }: ProviderCall<KakaoPayload>): Promise<SendResult> {
    const recipientNo = koreanNational(to);
    if (!recipientNo) throw new RecipientUnreachableError("Kakao messages go to Korean mobile numbers only", { providerCode: "NUDGE_NO_ROUTE" });
    const recipient = { recipientNo, groupingKey: groupingKey(context.idempotencyKey) };
    const brand = payload.kind === "brand";
    const api: NhnKakaoApi = brand ? "brand" : "alimtalk";
    const body = brand ? freestyleBody(this.config.senderKey, payload, recipient, this.config.resend) : alimTalkBody(this.config.senderKey, payload, recipient, this.config.resend);
    const { header, message } = await this.client.call(SendAnswer, "POST", api, brand ? "/freestyle-messages" : "/messages", { body, idempotencyKey: context.idempotencyKey });
    if (!header.isSuccessful) {
      if (header.resultCode === REPEATED_KEY) return this.repeated(api, recipient.groupingKey, context.now);
      throw nhnKakaoError(header.resultCode, header.resultMessage ?? "");
    }
    const result = message?.sendResults[0];
    if (!message || !result) throw new ChannelRejectedError("NHN Cloud accepted the request without a send result");
    const code = String(result.resultCode);
    const providerMessageId = `${message.requestId}:${result.recipientSeq}`;
    // Success uncertain (3005): accepted and possibly delivered, so neither a failure nor a fallback; polling settles it.
    if (code === KAKAO_UNCERTAIN) return { providerMessageId, status: "sent", providerCode: code };
    // A per-recipient code other than 0 is Kakao's or NHN's verdict on this person (3018 not deliverable, 3022 hours ...).
    if (!KAKAO_SUCCESS.has(code)) throw result.resultCode < 0 ? nhnKakaoError(result.resultCode, result.resultMessage ?? "") : kakaoResultError(code, result.resultMessage ?? "");
    return { providerMessageId, status: "sent", providerCode: code };
  }

  /** The message sent under this context's idempotency key, on either API; null when NHN lists none. */
  async lookup(context: SendContext): Promise<SendResult | null> {
    const key = groupingKey(context.idempotencyKey);
    for (const api of ["brand", "alimtalk"] as const) {
      const found = await findByGroupingKey(this.client, api, key, context.now);
      if (found) return sendResult(found);
    }
    return null;
  }

  /** `GET …/messages/{requestId}/{recipientSeq}` on the Brand Message or AlimTalk API. */
  async poll(providerMessageId: string, messageType = "BMS_TEXT"): Promise<DeliveryReport | null> {
    const [requestId, seq] = providerMessageId.split(":");
    const api: NhnKakaoApi = messageType === "ALIMTALK" ? "alimtalk" : "brand";
    const answer = await this.client.call(PollAnswer, "GET", api, `/messages/${encodeURIComponent(requestId ?? "")}/${encodeURIComponent(seq ?? "")}`);
    if (!answer.header.isSuccessful) throw nhnKakaoError(answer.header.resultCode, answer.header.resultMessage ?? "");
    const m = answer.message;
    if (!m) return null;
    const status = kakaoReportStatus(m.resultCode, m.messageStatus);
    const now = this.clock.now();
    const details = nhnResendDetails(m.resendStatus, this.config.resend);
    return {
      providerMessageId,
      status,
      ...(m.resultCode ? { providerCode: m.resultCode } : {}),
      ...(status === "failed" && m.resultCodeName ? { reason: m.resultCodeName } : {}),
      at: m.receiveDate ? kstToEpoch(m.receiveDate, now) : now,
      ...(details ? { details } : {}),
    };
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    return parseNhnKakaoWebhook(request, this.config.webhookSignature, this.clock.now(), this.config.resend);
  }

  /**
   * NHN refused a key it saw within 10 minutes: the earlier request decides. Found, its result is this send's
   * (a Kakao refusal is thrown as at send time); not found, the earlier request made no message and this one
   * may go once NHN forgets the key, so the send is retried later.
   */
  private async repeated(api: NhnKakaoApi, key: string, around: number): Promise<SendResult> {
    const found = await findByGroupingKey(this.client, api, key, around);
    if (!found) {
      throw new ChannelUnavailableError("NHN Cloud refused a repeated idempotency key (-1005) and lists no message under it: retry after its 10-minute window", { providerCode: String(REPEATED_KEY) });
    }
    if (kakaoReportStatus(found.resultCode, found.messageStatus) === "failed" && found.resultCode) throw kakaoResultError(found.resultCode, found.resultCodeName ?? "");
    return sendResult(found);
  }
}

function sendResult(m: ListedMessage): SendResult {
  const delivered = kakaoReportStatus(m.resultCode, m.messageStatus) === "delivered";
  return { providerMessageId: `${m.requestId}:${m.recipientSeq}`, status: delivered ? "delivered" : "sent", ...(m.resultCode ? { providerCode: m.resultCode } : {}) };
}
