import { ChannelRejectedError, ChannelUnavailableError, RecipientUnreachableError, type ChannelError } from "@nudge/core";

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
export const NHN_DEAD_NUMBER: ReadonlySet<string> = new Set(["1002", "3001", "3003"]);
