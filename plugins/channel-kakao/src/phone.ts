import { parsePhoneNumberFromString } from "libphonenumber-js";

/** E.164 -> the national digits Korean providers take ("+821012345678" -> "01012345678"); null outside Korea. */
export function koreanNational(e164: string): string | null {
  const p = parsePhoneNumberFromString(e164, "KR");
  if (!p || p.country !== "KR" || !p.isValid()) return null;
  return p.formatNational().replace(/\D/g, "");
}

/** National or international input -> E.164, for numbers coming back in webhooks. */
export function toE164(input: string): string {
  return parsePhoneNumberFromString(input, "KR")?.number ?? input;
}
