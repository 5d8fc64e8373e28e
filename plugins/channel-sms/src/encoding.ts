// The declaration must travel with this file: the test type-check includes test files only, not src/*.d.ts.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./unicode-name.d.ts" />
import iconv from "iconv-lite";
import { unicodeName } from "unicode-name";

/**
 * Korean carriers count SMS/LMS/MMS in EUC-KR bytes (NHN Cloud SMS API v3.0 guide, "Caution":
 * https://docs.nhncloud.com/en/Notification/SMS/en/api-guide/). iconv-lite does the encoding so no
 * hand-made byte table can drift from the real code page.
 *
 * iconv-lite's "euc-kr" is CP949 (Unified Hangul Code): KS X 1001 plus 8,822 Hangul syllables such as "똠", "햏"
 * or "힣", which a carrier reading real EUC-KR may garble. Two declarations, per provider:
 * - "euc-kr" (the default): strict KS X 1001. A two-byte character is in KS X 1001 exactly when both its bytes
 *   are 0xA1–0xFE; CP949's additions use lead bytes 0x81–0xC6 with trail bytes outside that range (똠 = 8C 63,
 *   힣 = C6 52), so the bytes iconv-lite writes tell the two apart without a table of our own.
 * - "cp949": for providers that document CP949; the extension syllables are accepted (still 2 bytes each).
 */
const ENCODING = "euc-kr";

/** The code page a provider documents for Korean SMS/LMS/MMS text. */
export type SmsEncoding = "euc-kr" | "cp949";

/** How an error names the code page. */
export const ENCODING_NAMES: Record<SmsEncoding, string> = { "euc-kr": "EUC-KR (KS X 1001)", cp949: "CP949" };

/** True when every two-byte character of CP949 `bytes` lies in KS X 1001 (both bytes 0xA1–0xFE). */
function inKsX1001(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i]!;
    if (lead < 0x80) continue;
    const trail = bytes[++i];
    if (lead < 0xa1 || lead > 0xfe || trail === undefined || trail < 0xa1 || trail > 0xfe) return false;
  }
  return true;
}

/** The EUC-KR byte length of a text (characters EUC-KR lacks count as the one-byte "?" they become). */
export function eucKrByteLength(text: string): number {
  return iconv.encode(text, ENCODING).length;
}

export interface UnencodableCharacter {
  /** The character as the person typed it (a whole emoji sequence stays one character). */
  char: string;
  /** Its Unicode name, e.g. "GRINNING FACE". */
  name: string;
  /** U+XXXX of each code point. */
  codePoints: string;
  /** Index in the text, in UTF-16 units. */
  index: number;
}

const segmenter = new Intl.Segmenter("ko", { granularity: "grapheme" });

/**
 * The characters of `text` that the code page cannot encode, each named (strict EUC-KR unless the provider
 * documents CP949). Empty when the text is encodable.
 */
export function unencodableCharacters(text: string, encoding: SmsEncoding = "euc-kr"): UnencodableCharacter[] {
  const out: UnencodableCharacter[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    if (segment === "?") continue;
    const bytes = iconv.encode(segment, ENCODING);
    // iconv-lite writes "?" for a character CP949 lacks: a round trip tells them apart.
    if (iconv.decode(bytes, ENCODING) === segment && (encoding === "cp949" || inKsX1001(bytes))) continue;
    out.push({ char: segment, name: nameOf(segment), codePoints: codePointsOf(segment), index });
  }
  return out;
}

function nameOf(char: string): string {
  try {
    return unicodeName(char) ?? codePointsOf(char);
  } catch {
    return codePointsOf(char);
  }
}

function codePointsOf(char: string): string {
  return Array.from(char, (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`).join(" ");
}

/** "😀 (GRINNING FACE, U+1F600)": how a validation error names a character. */
export function describeCharacter(c: UnencodableCharacter): string {
  return `"${c.char}" (${c.name}, ${c.codePoints})`;
}
