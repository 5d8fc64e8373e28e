import type { Cost, FieldIssue, Provider } from "@nudge/core";
import type { AlimTalk } from "./content/alimtalk.js";
import type { BrandMessage } from "./content/brand-message.js";
import type { Targeting } from "./content/brand-message-parts.js";

/** The provider kind of the kakao channels: kakao provider plugins declare `channel: "kakao"`. */
export const KAKAO_CHANNEL_KIND = "kakao";

/** The message types the kakao channels plan: `BMS_<chatBubbleType>` for a Brand Message, `ALIMTALK`. */
export type KakaoMessageType = `BMS_${BrandMessage["chatBubbleType"]}` | "ALIMTALK";

/** A Brand Message as providers receive it: checked against every rule, Friendtalk converted, targeting decided. */
export type BrandPayload = BrandMessage & { targeting: Targeting };

/**
 * What a kakao provider receives as `ProviderCall.payload`: a Brand Message (`kind: "brand"`, with its targeting)
 * or an AlimTalk (`kind: "alimtalk"`, template code and values checked against the registered template). The
 * recipient is `ProviderCall.to` in E.164 (`koreanNational()` gives the digits Korean vendors take); the message
 * type is `ProviderCall.messageType`; Nudge's ids are in `ProviderCall.context`. Plain values only: the sandbox
 * records it as the outbox entry's content.
 */
export type KakaoPayload = BrandPayload | AlimTalk;

/**
 * A provider of the kakao channel kind (`channel: "kakao"`). Besides the Provider contract it may tell the
 * channel what it cannot send, so a message is refused before any vendor call rather than by the vendor.
 *
 * Errors: a send outside Kakao's sending hours throws `ChannelDeferredError`; when the provider gives no
 * `notBefore`, the channel sets it to its sending window's next opening.
 */
export interface KakaoProvider extends Provider<KakaoPayload> {
  /**
   * Problems only this provider has with the payload (Solapi needs uploaded image ids, NHN Cloud takes fewer
   * fields per bubble type ...), named by the content's field path. The channel refuses a message any of its
   * providers cannot take, so a failover never meets content its provider refuses.
   */
  issues?(payload: KakaoPayload): FieldIssue[];
  /**
   * Set when the vendor's own SMS/LMS fallback (대체발송) is switched on: the vendor texts the person itself when
   * Kakao cannot deliver, so the channel refuses a Nudge fallback after it (it would reach the person twice).
   * `type` is the text type the vendor sends, when configured.
   */
  readonly resend?: { type?: "SMS" | "LMS" | undefined } | undefined;
}

/**
 * The vendor's resend of one message, as reports put it in `DeliveryReport.details.resend` (kept on the attempt's
 * `details.resend`): the text type when known, its state, the vendor's resend code, and its cost (set by the channel
 * from its `prices.RESEND_<TYPE>` once the text went out).
 */
export interface KakaoResend {
  channel?: "sms" | "lms" | "mms" | undefined;
  status: "sending" | "sent" | "delivered" | "failed";
  providerCode?: string | undefined;
  cost?: Cost | undefined;
}
