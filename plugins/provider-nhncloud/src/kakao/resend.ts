import type { KakaoResend } from "@nudge/channel-kakao";
import type { NhnCloudKakaoResend } from "./config.js";

/**
 * NHN's resend states (대체 발송 상태, `resendStatus` of the message queries; AlimTalk guide "SMS/LMS 대체 발송 상태",
 * https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/alimtalk-api-guide/): RSC01 not resent,
 * RSC02 will be resent if Kakao fails, RSC03 resending, RSC04 resent, RSC05 resend failed. Only the last three
 * mean a text went (or tried to go) out.
 */
const STATES: Record<string, KakaoResend["status"]> = { RSC03: "sending", RSC04: "sent", RSC05: "failed" };

/** The `details` a report carries for NHN's resend of this message; undefined when NHN resent nothing. */
export function nhnResendDetails(resendStatus: string | null | undefined, resend: NhnCloudKakaoResend): { resend: KakaoResend } | undefined {
  const status = resendStatus ? STATES[resendStatus] : undefined;
  if (!status) return undefined;
  // NHN's answers do not name the resend's type: it is the configured one (NHN picks by length when none is set).
  const channel = resend.type === "SMS" ? "sms" : resend.type === "LMS" ? "lms" : undefined;
  return { resend: { ...(channel ? { channel } : {}), status, providerCode: resendStatus! } };
}
