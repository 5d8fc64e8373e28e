import {
  ChannelDeferredError,
  ChannelRejectedError,
  ChannelUnavailableError,
  RecipientUnreachableError,
  type ChannelError,
  type DeliveryReport,
} from "@nudge/core";
import { solapiMessageError } from "@nudge/provider-solapi";

/**
 * Kakao's per-message result codes as NHN Cloud relays them (Kakao "브랜드 메시지 자유형 Restful Interface
 * Guide v1.0"; Solapi uses its own codes, below): 1000 success, 3018 NoSendAvailableException
 * (cannot be delivered: not a channel friend for targeting I, blocked ...), 3019 not a KakaoTalk user,
 * 3020 the person blocked the channel's messages, 3022 NoSendAvailableTimeException (outside sending hours).
 */
export const KAKAO_SUCCESS = new Set(["1000", "0"]);
const KAKAO_UNREACHABLE = new Set(["3018", "3019", "3020", "3021"]);
export const KAKAO_OUTSIDE_HOURS = "3022";

export function kakaoResultError(code: string, message: string, nextOpen: () => number, vendor = "Kakao"): ChannelError {
  const text = `${vendor} ${code}: ${message}`;
  if (code === KAKAO_OUTSIDE_HOURS) return new ChannelDeferredError(text, { providerCode: code, notBefore: nextOpen() });
  if (KAKAO_UNREACHABLE.has(code)) return new RecipientUnreachableError(text, { providerCode: code });
  return new ChannelRejectedError(text, { providerCode: code });
}

/**
 * Solapi relays Kakao's verdicts under its own codes, in the same table as its SMS codes
 * (https://developers.solapi.com/references/message-status-codes; mapped in @nudge/provider-solapi): 3102 not a
 * channel friend, 3104 not a KakaoTalk user and 3107 (no KakaoTalk use in 72 hours, or AlimTalk blocked) are
 * unreachable; 3108 outside sending hours defers to the window's next opening; 3101 sender key, 3103 template
 * mismatch, 3105 unregistered template, 3106 invalid channel id and 1062 unregistered sender are permanent.
 */
export function solapiKakaoError(code: string, message: string, nextOpen: () => number): ChannelError {
  return solapiMessageError(code, message, { vendor: "Solapi", nextOpen });
}

/**
 * NHN Cloud KakaoTalk Bizmessage API codes (header.resultCode), from
 * https://docs.nhncloud.com/en/Notification/KakaoTalk%20Bizmessage/en/error-code/ : -1000 invalid app key,
 * -1001 invalid secret key, -1005 same X-NC-API-IDEMPOTENCY-KEY within 10 minutes, -1006 no sender key,
 * -1027 blocked sender, -2017 no sender profile, -9999 system error.
 */
export function nhnKakaoError(code: number, message: string): ChannelError {
  const providerCode = String(code);
  const text = `NHN Cloud ${code}: ${message}`;
  if (code === -9999 || code === -9998) return new ChannelUnavailableError(text, { providerCode });
  // -1005: the first request with this key was accepted; resending would duplicate a paid message.
  return new ChannelRejectedError(text, { providerCode });
}

/** A delivery result code as a Nudge report status. */
export function kakaoReportStatus(code: string | null | undefined, messageStatus?: string): DeliveryReport["status"] {
  if (code && KAKAO_SUCCESS.has(code)) return "delivered";
  if (messageStatus === "COMPLETED" && !code) return "delivered";
  if (code || messageStatus === "FAILED") return "failed";
  return "sent";
}
