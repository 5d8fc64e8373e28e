import { parsePhoneNumberWithError, ParseError, validatePhoneNumberLength, type CountryCode } from "libphonenumber-js/max";

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/** libphonenumber's reasons, said for people. */
const REASONS: Record<string, string> = {
  NOT_A_NUMBER: "is not a phone number",
  INVALID_COUNTRY: "has no country code libphonenumber recognises (write it as +<country code> <number>)",
  TOO_SHORT: "is too short to be a phone number",
  TOO_LONG: "is too long to be a phone number",
  INVALID_LENGTH: "has a length no number of its country has",
};

/**
 * Phone numbers to E.164 with libphonenumber-js and its full ("max") metadata, so that validity is
 * checked against each country's real number ranges: 010-1234-5678 in KR -> +821012345678.
 */
export class PhoneNormalizer {
  constructor(private readonly defaultRegion: CountryCode) {}

  normalize(raw: string): PhoneResult {
    const text = raw.trim();
    try {
      const parsed = parsePhoneNumberWithError(text, { defaultCountry: this.defaultRegion });
      if (parsed.isValid()) return { ok: true, e164: parsed.number };
      const length = validatePhoneNumberLength(text, this.defaultRegion);
      if (length) return { ok: false, reason: REASONS[length] ?? length };
      return { ok: false, reason: `is not a valid phone number in ${parsed.country ?? `+${parsed.countryCallingCode}`}` };
    } catch (e) {
      if (e instanceof ParseError) return { ok: false, reason: REASONS[e.message] ?? e.message };
      throw e;
    }
  }
}
