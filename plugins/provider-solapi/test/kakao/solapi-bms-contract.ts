import { shapeProblems, type Shape } from "@nudge/core/testkit";

/**
 * Solapi's `kakaoOptions.bms` as the official SDK defines it (solapi/solapi-nodejs src/models/base/kakao/kakaoOption.ts
 * baseBmsSchema and BMS_REQUIRED_FIELDS, and the schemas in src/models/base/kakao/bms/). Buttons are one shape with
 * every key the SDK's button union allows.
 */
const LINKS = { linkMobile: "string", linkPc: "string", linkAndroid: "string", linkIos: "string" } as const;
const BUTTON: Shape = { name: "string", "linkType!": "string", ...LINKS, chatExtra: "string", targetOut: "boolean" };
const COUPON: Shape = { "title!": "string", "description!": "string", ...LINKS };
const COMMERCE: Shape = { "title!": "string", "regularPrice!": "number", discountPrice: "number", discountRate: "number", discountFixed: "number" };
const TAIL: Shape = { "linkMobile!": "string", linkPc: "string", linkAndroid: "string", linkIos: "string" };
const WIDE_ITEM = (titleRequired: boolean): Shape => ({ [titleRequired ? "title!" : "title"]: "string", "imageId!": "string", "linkMobile!": "string", linkPc: "string", linkAndroid: "string", linkIos: "string" });

const BASE: Shape = {
  "targeting!": "string",
  "chatBubbleType!": "string",
  adult: "boolean",
  header: "string",
  imageId: "string",
  imageLink: "string",
  additionalContent: "string",
  content: "string",
  mainWideItem: WIDE_ITEM(false),
  subWideItemList: [WIDE_ITEM(true)],
  buttons: [BUTTON],
  coupon: COUPON,
  commerce: COMMERCE,
  video: { "videoUrl!": "string", imageId: "string", imageLink: "string" },
};

const FEED: Shape = { "list!": [{ "header!": "string", "content!": "string", "imageId!": "string", imageLink: "string", "buttons!": [BUTTON], coupon: COUPON }], tail: TAIL };
const COMMERCE_CAROUSEL: Shape = {
  head: { "header!": "string", "content!": "string", "imageId!": "string", ...LINKS },
  "list!": [{ "commerce!": COMMERCE, "imageId!": "string", imageLink: "string", "buttons!": [BUTTON], additionalContent: "string", coupon: COUPON }],
  tail: TAIL,
};

const REQUIRED: Record<string, string[]> = {
  TEXT: [],
  IMAGE: ["imageId"],
  WIDE: ["imageId"],
  WIDE_ITEM_LIST: ["header", "mainWideItem", "subWideItemList"],
  COMMERCE: ["imageId", "commerce", "buttons"],
  CAROUSEL_FEED: ["carousel"],
  CAROUSEL_COMMERCE: ["carousel"],
  PREMIUM_VIDEO: ["video"],
};

/** Contract problems in `kakaoOptions.bms`; empty when the SDK would accept it. */
export function bmsProblems(bms: Record<string, unknown>): string[] {
  const type = String(bms["chatBubbleType"]);
  const required = REQUIRED[type];
  if (!required) return [`chatBubbleType ${type} is not one of the SDK's`];
  const carousel = type === "CAROUSEL_FEED" ? FEED : type === "CAROUSEL_COMMERCE" ? COMMERCE_CAROUSEL : undefined;
  const out = shapeProblems(bms, carousel ? { ...BASE, carousel } : BASE, "bms");
  for (const f of required) if (bms[f] === undefined) out.push(`bms.${f} is required for ${type}`);
  const subs = bms["subWideItemList"];
  if (type === "WIDE_ITEM_LIST" && (!Array.isArray(subs) || subs.length < 3)) out.push("bms.subWideItemList needs at least 3 items");
  if (!["I", "M", "N"].includes(String(bms["targeting"]))) out.push("bms.targeting must be I, M or N");
  return out;
}
