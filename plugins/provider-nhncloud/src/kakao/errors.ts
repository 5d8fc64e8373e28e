import { ChannelDeferredError, ChannelRejectedError, ChannelUnavailableError, RecipientUnreachableError, type ChannelError, type DeliveryReport } from "@nudge/core";

/**
 * Kakao's per-message result codes as NHN Cloud relays them (Kakao "브랜드 메시지 자유형 Restful Interface Guide
 * v1.0"): 1000 success, 3018 NoSendAvailableException (cannot be delivered: not a channel friend for targeting I,
 * blocked ...), 3019 not a KakaoTalk user, 3020 the person blocked the channel's messages, 3022
 * NoSendAvailableTimeException (outside sending hours).
 */
export const KAKAO_SUCCESS = new Set(["1000", "0"]);
/**
 * 3005 AckTimeoutException: "메시지를 발송했으나 수신확인 안됨 (성공불확실)" — sent, receipt not confirmed; Kakao keeps it
 * and the phone may still receive it within 3 days (Kakao's Brand Message Restful Interface Guide, result codes). Not a
 * failure and not a reason to fall back or resend: the message stays "sent" and is settled by a later report or poll.
 */
export const KAKAO_UNCERTAIN = "3005";
const KAKAO_UNREACHABLE = new Set(["3018", "3019", "3020", "3021"]);
const KAKAO_OUTSIDE_HOURS = "3022";

/** A Kakao verdict on one recipient. Outside hours defers with no time: the channel knows its sending window. */
export function kakaoResultError(code: string, message: string): ChannelError {
  const text = `NHN Cloud/Kakao ${code}: ${message}`;
  if (code === KAKAO_OUTSIDE_HOURS) return new ChannelDeferredError(text, { providerCode: code });
  if (KAKAO_UNREACHABLE.has(code)) return new RecipientUnreachableError(text, { providerCode: code });
  return new ChannelRejectedError(text, { providerCode: code });
}

/**
 * NHN Cloud KakaoTalk Bizmessage API codes (header.resultCode), from
 * https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/error-code/ : -1000 invalid app key,
 * -1001 invalid secret key, -1005 same X-NC-API-IDEMPOTENCY-KEY within 10 minutes (handled by the provider),
 * -1006 no sender key, -1027 blocked sender, -2017 no sender profile, -9999 system error.
 */
export function nhnKakaoError(code: number, message: string): ChannelError {
  const providerCode = String(code);
  const text = `NHN Cloud ${code}: ${message}`;
  if (code === -9999 || code === -9998) return new ChannelUnavailableError(text, { providerCode });
  return new ChannelRejectedError(text, { providerCode });
}

/** A delivery result code as a Nudge report status. */
export function kakaoReportStatus(code: string | null | undefined, messageStatus?: string | null): DeliveryReport["status"] {
  if (code && KAKAO_SUCCESS.has(code)) return "delivered";
  if (code === KAKAO_UNCERTAIN) return "sent";
  if (messageStatus === "COMPLETED" && !code) return "delivered";
  if (code || messageStatus === "FAILED") return "failed";
  return "sent";
}
