import type { FieldIssue } from "@nudge/core";
import type { KakaoPayload } from "@nudge/channel-kakao";

/** Line breaks Solapi's SDK allows in WIDE and PREMIUM_VIDEO content (bmsConstraints.ts); NHN Cloud takes 5. */
const SOLAPI_WIDE_BREAKS = 1;

/**
 * What Solapi refuses that the shared Brand Message rules allow: images go by the `imageId` of a file uploaded
 * to Solapi's storage (not a URL), the SDK sends the first wide-list item as `mainWideItem` and wants at least
 * 3 in `subWideItemList` (solapi/solapi-nodejs models/base/kakao/kakaoOption.ts), and WIDE / PREMIUM_VIDEO content
 * takes one line break.
 */
export function solapiKakaoIssues(payload: KakaoPayload): FieldIssue[] {
  if (payload.kind !== "brand") return [];
  const m = payload;
  const out: FieldIssue[] = [];
  const need = (path: string, img: { id?: string | undefined } | undefined) => {
    if (img && !img.id) out.push({ path, message: "Solapi takes the imageId of an image uploaded to Solapi storage" });
  };
  need("image.id", m.image);
  m.items?.forEach((it, i) => need(`items[${i}].image.id`, it.image));
  need("carousel.head.image.id", m.carousel?.head?.image);
  m.carousel?.list.forEach((it, i) => need(`carousel.list[${i}].image.id`, it.image));
  if (m.video?.thumbnailUrl && !m.video.thumbnailId) out.push({ path: "video.thumbnailId", message: "Solapi takes the thumbnail's storage imageId" });
  if ((m.chatBubbleType === "WIDE" || m.chatBubbleType === "PREMIUM_VIDEO") && m.content !== undefined && (m.content.match(/\r\n|\r|\n/g) ?? []).length > SOLAPI_WIDE_BREAKS) {
    out.push({ path: "content", message: `Solapi's ${m.chatBubbleType} content takes at most ${SOLAPI_WIDE_BREAKS} line break` });
  }
  if (m.chatBubbleType === "WIDE_ITEM_LIST" && m.items && m.items.length < 4) out.push({ path: "items", message: "Solapi takes a main item and at least 3 sub items (4 items)" });
  return out;
}
