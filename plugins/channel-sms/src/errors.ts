import {
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
  type ChannelError,
} from "@nudge/core";
import { solapiMessageError } from "@nudge/provider-solapi";

/**
 * NHN Cloud SMS API result codes (header.resultCode) -> core errors.
 * Source: https://docs.nhncloud.com/ko/Notification/SMS/ko/error-code/ (API 결과 코드).
 */
const NHN_UNREACHABLE = new Set([-2018, -2019, -6001]);
const NHN_TRANSIENT = new Set([-9999, -2021, -2009]);

export function nhnSmsError(code: number, message: string): ChannelError {
  const providerCode = String(code);
  const text = `NHN Cloud SMS ${code}: ${message}`;
  if (NHN_UNREACHABLE.has(code)) return new RecipientUnreachableError(text, { providerCode });
  if (NHN_TRANSIENT.has(code)) return new ChannelUnavailableError(text, { providerCode });
  // -2312 unregistered sender, -2313 blocked sender, -2023 characters EUC-KR lacks, -6003 missing opt-out line,
  // -100x app key / secret problems: none of them heals by retrying.
  return new ChannelRejectedError(text, { providerCode });
}

/** NHN receive result codes (수신 결과 코드): 1000 success, anything else a failure; some mean a dead number. */
export const NHN_DEAD_NUMBER = new Set(["1002", "3001", "3003"]);

/**
 * Solapi per-message failures (`failedMessageList[].statusCode`) follow Solapi's one status code table
 * (https://developers.solapi.com/references/message-status-codes), mapped in @nudge/provider-solapi: 1060/1061
 * blocked or opted-out recipients are unreachable, 1062 unregistered sender and other content or account
 * refusals permanent, 1024/2024 server errors transient.
 */
export function solapiStatusError(statusCode: string, message: string): ChannelError {
  return solapiMessageError(statusCode, message);
}

/**
 * Twilio REST errors `{ code, message, more_info, status }` (https://www.twilio.com/docs/api/errors).
 * 21211 invalid 'To', 21614 not a mobile number, 21610 recipient replied STOP, 20429 too many requests.
 */
const TWILIO_UNREACHABLE = new Set([21211, 21614, 21610, 21612]);

export function twilioError(status: number, code: number | undefined, message: string): ChannelError {
  const providerCode = code === undefined ? `HTTP_${status}` : String(code);
  const text = `Twilio ${providerCode}: ${message}`;
  if (code === 20429) return new RateLimitedError(text, { providerCode });
  if (code !== undefined && TWILIO_UNREACHABLE.has(code)) return new RecipientUnreachableError(text, { providerCode });
  return new ChannelRejectedError(text, { providerCode });
}
