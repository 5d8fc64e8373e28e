import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/** A recipient or sender number, parsed once: E.164 for Nudge, national digits for Korean providers. */
export interface PhoneNumber {
  e164: string;
  country: CountryCode | undefined;
  /** National significant number with the trunk prefix, digits only: "01012345678", "15880000". */
  national: string;
}

/**
 * Parses with libphonenumber-js (numbers are too irregular to hand-parse: 1588 numbers, 080, area
 * codes). Returns null for something that is not a valid number.
 */
export function parsePhone(input: string, defaultCountry: CountryCode = "KR"): PhoneNumber | null {
  const parsed = parsePhoneNumberFromString(input, defaultCountry);
  if (!parsed) return null;
  // Korean special numbers (1588-xxxx, 080-xxx-xxxx) are valid senders though libphonenumber calls some of them "possible" only.
  if (!parsed.isValid() && !(parsed.country === "KR" && parsed.isPossible())) return null;
  const national = parsed.formatNational().replace(/\D/g, "");
  return { e164: parsed.number, country: parsed.country, national };
}

/** True for a number Korean carriers deliver (country KR). */
export function isKorean(phone: PhoneNumber): boolean {
  return phone.country === "KR" || phone.e164.startsWith("+82");
}

/**
 * The national digits Korean vendors take ("+821012345678" → "01012345678", "+8215880000" → "15880000").
 * A number that does not parse keeps its digits only: the vendor then names the problem.
 */
export function nationalNumber(number: string): string {
  return parsePhone(number)?.national ?? number.replace(/\D/g, "");
}

/** E.164 for a number a Korean vendor reports in national digits (webhooks); unchanged when it does not parse. */
export function e164Number(number: string): string {
  return parsePhone(number)?.e164 ?? number;
}
