import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * E.164 -> the national digits Korean providers take ("+821012345678" -> "01012345678"); null for a number that is
 * not a valid Korean one. Kakao delivers to Korean mobile numbers only.
 */
export function koreanNational(e164: string): string | null {
  const p = parsePhoneNumberFromString(e164, "KR");
  if (!p || p.country !== "KR" || !p.isValid()) return null;
  return p.formatNational().replace(/\D/g, "");
}
