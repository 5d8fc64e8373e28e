/**
 * NHN Cloud's freestyle Brand Message request, as its API guide documents it per bubble type ("메시지 자유형 발송
 * 요청", https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/friendtalkupgrade-api-guide/).
 * A shape lists every key the guide shows; `!` marks the ones it requires. The fake NHN server checks each body
 * against it, so an undocumented or misnamed field fails the test that sent it.
 */
import { shapeProblems, type Shape } from "@nudge/core/testkit";

const BUTTON: Shape = { "name!": "string", "type!": "string", linkMo: "string", linkPc: "string", schemeAndroid: "string", schemeIos: "string", chatExtra: "string", chatEvent: "string", bizFormKey: "string" };
const COUPON: Shape = { "title!": "string", "description!": "string", linkMo: "string", linkPc: "string", schemeAndroid: "string", schemeIos: "string" };
const IMAGE: Shape = { "imageUrl!": "string", imageLink: "string" };
const COMMERCE: Shape = { "title!": "string", "regularPrice!": "number", discountPrice: "number", discountRate: "number", discountFixed: "number" };
const TAIL: Shape = { "linkMo!": "string", linkPc: "string", schemeAndroid: "string", schemeIos: "string" };
const RECIPIENT: Shape = {
  "recipientNo!": "string",
  resendParameter: { isResend: "boolean", resendType: "string", resendTitle: "string", resendContent: "string", resendSendNo: "string", resendUnsubscribeNo: "string" },
  targeting: "string",
  unsubscribeNo: "string",
  unsubscribeAuthNo: "string",
  recipientGroupingKey: "string",
};
const COMMON: Shape = {
  "senderKey!": "string",
  "chatBubbleType!": "string",
  pushAlarm: "boolean",
  requestDate: "string",
  unsubscribeNo: "string",
  unsubscribeAuthNo: "string",
  adult: "boolean",
  "recipientList!": [RECIPIENT],
  senderGroupingKey: "string",
  resellerCode: "string",
  createUser: "string",
  statsId: "string",
};

export const NHN_FREESTYLE: Record<string, Shape> = {
  TEXT: { ...COMMON, "content!": "string", buttons: [BUTTON], coupon: COUPON },
  IMAGE: { ...COMMON, "content!": "string", "image!": IMAGE, buttons: [BUTTON], coupon: COUPON },
  WIDE: { ...COMMON, "content!": "string", "image!": IMAGE, buttons: [BUTTON], coupon: COUPON },
  WIDE_ITEM_LIST: {
    ...COMMON,
    "header!": "string",
    "item!": { "list!": [{ title: "string", "imageUrl!": "string", "linkMo!": "string", linkPc: "string", schemeAndroid: "string", schemeIos: "string" }] },
    buttons: [BUTTON],
    coupon: COUPON,
  },
  PREMIUM_VIDEO: { ...COMMON, content: "string", header: "string", "video!": { "videoUrl!": "string", thumbnailUrl: "string" }, buttons: [BUTTON], coupon: COUPON },
  COMMERCE: { ...COMMON, additionalContent: "string", "image!": IMAGE, "commerce!": COMMERCE, "buttons!": [BUTTON], coupon: COUPON },
  CAROUSEL_FEED: {
    ...COMMON,
    "carousel!": { "list!": [{ "header!": "string", "message!": "string", "imageUrl!": "string", imageLink: "string", "buttons!": [BUTTON], coupon: COUPON }], tail: TAIL },
  },
  CAROUSEL_COMMERCE: {
    ...COMMON,
    "carousel!": {
      head: { "header!": "string", "content!": "string", "imageUrl!": "string", linkMo: "string", linkPc: "string", schemeAndroid: "string", schemeIos: "string" },
      "list!": [{ additionalContent: "string", "imageUrl!": "string", imageLink: "string", "commerce!": COMMERCE, "buttons!": [BUTTON], coupon: COUPON }],
      tail: TAIL,
    },
  },
};

/**
 * `content` limits per bubble type, as the guide's `content` row reads since its 2026-05 update: TEXT and IMAGE at
 * most 1,300 characters and 99 line breaks, WIDE and PREMIUM_VIDEO 76 characters and 5 line breaks.
 */
const CONTENT_LIMITS: Record<string, { max: number; breaks: number }> = {
  TEXT: { max: 1300, breaks: 99 },
  IMAGE: { max: 1300, breaks: 99 },
  WIDE: { max: 76, breaks: 5 },
  PREMIUM_VIDEO: { max: 76, breaks: 5 },
};

/** Contract problems in a freestyle request body; empty when it matches the guide. */
export function freestyleProblems(body: unknown): string[] {
  const type = (body as { chatBubbleType?: unknown } | null)?.chatBubbleType;
  const shape = typeof type === "string" ? NHN_FREESTYLE[type] : undefined;
  if (!shape) return [`chatBubbleType ${String(type)} is not documented`];
  const out = shapeProblems(body, shape, "body");
  const key = (body as { recipientList?: { recipientGroupingKey?: unknown }[] }).recipientList?.[0]?.recipientGroupingKey;
  if (typeof key === "string" && key.length > 100) out.push("body.recipientList[0].recipientGroupingKey holds at most 100 characters");
  const content = (body as { content?: unknown }).content;
  const limit = typeof type === "string" ? CONTENT_LIMITS[type] : undefined;
  if (limit && typeof content === "string") {
    if (content.length > limit.max) out.push(`body.content holds at most ${limit.max} characters for ${String(type)}`);
    if ((content.match(/\r\n|\r|\n/g) ?? []).length > limit.breaks) out.push(`body.content takes at most ${limit.breaks} line breaks for ${String(type)}`);
  }
  return out;
}
