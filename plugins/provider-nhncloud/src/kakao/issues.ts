import type { FieldIssue } from "@nudge/core";
import type { KakaoPayload } from "@nudge/channel-kakao";
import { NHN_BUBBLE_FIELDS } from "./body.js";

/** Fields every bubble type takes (or that never reach the body as such). */
const COMMON_FIELDS = new Set(["kind", "chatBubbleType", "targeting", "adult", "pushAlarm"]);
/** NHN's IMAGE content limit (freestyle request table: 400 characters, 29 line breaks). */
const NHN_IMAGE_CONTENT = { max: 400, breaks: 29 };

/**
 * What NHN's freestyle API refuses that the shared Brand Message rules allow: a field its bubble type does not
 * document (NHN_BUBBLE_FIELDS), an image without an uploaded URL, and IMAGE content over NHN's 400 characters or
 * 29 line breaks (Solapi takes 1,300).
 */
export function nhnKakaoIssues(payload: KakaoPayload): FieldIssue[] {
  if (payload.kind !== "brand") return [];
  const m = payload;
  const out: FieldIssue[] = [];
  const allowed = new Set<string>(NHN_BUBBLE_FIELDS[m.chatBubbleType]);
  for (const [name, value] of Object.entries(m)) {
    if (value !== undefined && !COMMON_FIELDS.has(name) && !allowed.has(name)) out.push({ path: name, message: `NHN Cloud's ${m.chatBubbleType} message takes no ${name}` });
  }
  const url = (path: string, img: { url?: string | undefined } | undefined) => {
    if (img && !img.url) out.push({ path, message: "NHN Cloud takes the URL of an uploaded image" });
  };
  url("image.url", m.image);
  m.items?.forEach((it, i) => url(`items[${i}].image.url`, it.image));
  url("carousel.head.image.url", m.carousel?.head?.image);
  m.carousel?.list.forEach((it, i) => url(`carousel.list[${i}].image.url`, it.image));
  if (m.video?.thumbnailId && !m.video.thumbnailUrl) out.push({ path: "video.thumbnailUrl", message: "NHN Cloud takes the thumbnail's uploaded image URL" });
  if (m.chatBubbleType === "IMAGE" && m.content !== undefined) {
    if (m.content.length > NHN_IMAGE_CONTENT.max) out.push({ path: "content", message: `NHN Cloud's IMAGE content holds at most ${NHN_IMAGE_CONTENT.max} characters, got ${m.content.length}` });
    if ((m.content.match(/\r\n|\r|\n/g) ?? []).length > NHN_IMAGE_CONTENT.breaks) out.push({ path: "content", message: `NHN Cloud's IMAGE content takes at most ${NHN_IMAGE_CONTENT.breaks} line breaks` });
  }
  return out;
}
