import type { FieldIssue } from "@nudge/core";
import type { KakaoPayload } from "@nudge/channel-kakao";
import { NHN_BUBBLE_FIELDS } from "./body.js";

/** Fields every bubble type takes (or that never reach the body as such). */
const COMMON_FIELDS = new Set(["kind", "chatBubbleType", "targeting", "adult", "pushAlarm"]);

/**
 * What NHN's freestyle API refuses that the shared Brand Message rules allow: a field its bubble type does not
 * document (NHN_BUBBLE_FIELDS) and an image without an uploaded URL. NHN's content limits are the shared ones
 * (channel-kakao BRAND_MESSAGE_LIMITS): TEXT and IMAGE 1,300 characters with at most 99 line breaks, WIDE and
 * PREMIUM_VIDEO 76 with at most 5 ("메시지 자유형 발송 요청", `content`, as updated 2026-05:
 * https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/friendtalkupgrade-api-guide/; IMAGE was
 * 400 characters and 29 line breaks before), so nothing about content is added here.
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
  return out;
}
