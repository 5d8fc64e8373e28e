import { ValidationError, type FieldIssue } from "@nudge/core";
import type { SmsContent, SmsType } from "./content.js";
import { describeCharacter, ENCODING_NAMES, eucKrByteLength, unencodableCharacters, type SmsEncoding } from "./encoding.js";
import { adFormatProblems } from "./templates.js";

/**
 * Korean limits (NHN Cloud SMS API v3.0, "Caution"; KOREA-CHANNELS.md): SMS 90 EUC-KR bytes (45 Hangul or
 * 90 ASCII characters), LMS/MMS body 2,000 bytes, title 40 bytes.
 */
export const LIMITS = { smsBytes: 90, longBytes: 2000, titleBytes: 40 } as const;

export interface SmsPlan {
  type: SmsType;
  bytes: number;
  title?: string;
}

const n = (v: number) => v.toLocaleString("en-US");

/**
 * Picks SMS, LMS or MMS from the content and checks it against the carriers' limits. Every problem names
 * its field, the byte count, or the offending character.
 */
export function planKoreanMessage(
  content: SmsContent,
  options: { images: { max: number; maxBytes: number; maxTotalBytes?: number }; marketing: boolean; provider: string; encoding?: SmsEncoding },
): SmsPlan {
  const issues: FieldIssue[] = [];
  // NHN Cloud fails characters EUC-KR lacks (-2023); Solapi documents no better (1029), so both refuse them here.
  // Strict KS X 1001 unless the provider documents CP949 (encoding.ts).
  const encoding = options.encoding ?? "euc-kr";
  const page = ENCODING_NAMES[encoding];
  for (const c of unencodableCharacters(content.text, encoding)) {
    issues.push({ path: "text", message: `character ${describeCharacter(c)} at index ${c.index} cannot be encoded in ${page}, which Korean carriers (${options.provider}) require` });
  }
  if (content.title !== undefined) {
    for (const c of unencodableCharacters(content.title, encoding)) issues.push({ path: "title", message: `character ${describeCharacter(c)} cannot be encoded in ${page}` });
  }
  const bytes = eucKrByteLength(content.text);
  const images = content.images ?? [];
  const type: SmsType = content.type ?? (images.length > 0 ? "MMS" : content.title !== undefined || bytes > LIMITS.smsBytes ? "LMS" : "SMS");

  if (type === "SMS" && bytes > LIMITS.smsBytes) {
    issues.push({ path: "text", message: `${n(bytes)} bytes in EUC-KR; an SMS holds at most ${LIMITS.smsBytes} (drop type: "SMS" to send an LMS)` });
  }
  if (bytes > LIMITS.longBytes) {
    issues.push({ path: "text", message: `${n(bytes)} bytes in EUC-KR; an LMS/MMS body holds at most ${n(LIMITS.longBytes)}` });
  }
  if (type === "MMS" && images.length === 0) issues.push({ path: "images", message: "an MMS needs at least one image" });
  if (type !== "MMS" && images.length > 0) issues.push({ path: "images", message: `a ${type} carries no images` });
  if (images.length > options.images.max) issues.push({ path: "images", message: `${options.provider} takes at most ${options.images.max} image(s) per MMS` });
  images.forEach((img, i) => {
    if (img.sizeBytes > options.images.maxBytes) {
      issues.push({ path: `images[${i}].sizeBytes`, message: `${n(img.sizeBytes)} bytes; ${options.provider} takes MMS images up to ${n(options.images.maxBytes)} bytes` });
    }
  });
  const total = images.reduce((sum, img) => sum + img.sizeBytes, 0);
  const maxTotal = options.images.maxTotalBytes;
  if (maxTotal !== undefined && total > maxTotal) {
    issues.push({ path: "images", message: `${n(total)} bytes of images in all; ${options.provider} takes at most ${n(maxTotal)} bytes per MMS` });
  }

  let title = content.title;
  if (title !== undefined) {
    const tb = eucKrByteLength(title);
    if (tb > LIMITS.titleBytes) issues.push({ path: "title", message: `${n(tb)} bytes in EUC-KR; a title holds at most ${LIMITS.titleBytes}` });
  } else if (type !== "SMS") {
    title = defaultTitle(content.text);
  }
  if (options.marketing) for (const p of adFormatProblems(content.text)) issues.push({ path: "text", message: p });

  if (issues.length > 0) throw new ValidationError("sms content", issues);
  return { type, bytes, ...(title === undefined ? {} : { title }) };
}

/** LMS/MMS need a subject: the first line, cut to 40 EUC-KR bytes. */
function defaultTitle(text: string): string {
  let out = "";
  for (const ch of text.split("\n")[0]!.trim()) {
    if (eucKrByteLength(out + ch) > LIMITS.titleBytes) break;
    out += ch;
  }
  return out || "-";
}
