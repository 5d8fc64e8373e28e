// The declaration must travel with this file: the test type-check includes test files only, not src/*.d.ts.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./unicode-name.d.ts" />
import iconv from "iconv-lite";
import { unicodeName } from "unicode-name";

/**
 * Korean carriers count SMS/LMS/MMS in EUC-KR bytes (NHN Cloud SMS API v3.0 guide, "Caution":
 * https://docs.nhncloud.com/en/Notification/SMS/en/api-guide/). iconv-lite does the encoding so no
 * hand-made byte table can drift from the real code page.
 */
const ENCODING = "euc-kr";

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

/** The characters of `text` that EUC-KR cannot encode, each named. Empty when the text is encodable. */
export function unencodableCharacters(text: string): UnencodableCharacter[] {
  const out: UnencodableCharacter[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    if (segment === "?") continue;
    // iconv-lite writes "?" for a character the code page lacks: a round trip tells them apart.
    if (iconv.decode(iconv.encode(segment, ENCODING), ENCODING) === segment) continue;
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
