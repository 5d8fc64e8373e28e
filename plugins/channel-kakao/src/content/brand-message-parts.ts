import { z } from "zod";

/**
 * Building blocks of Brand Message (브랜드 메시지) content. Field names follow NHN Cloud's freestyle API
 * (https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/friendtalkupgrade-api-guide/, source
 * TOAST-DOCS/Alimtalk ko/friendtalkupgrade-api-guide.md); limits come from that page and Solapi's SDK
 * (solapi/solapi-nodejs src/models/base/kakao/bms/bmsConstraints.ts, bmsWideItem.ts, bmsCarousel.ts). Where the two
 * differ, the shared rule is the one both accept and the provider plugin adds its own (`KakaoProvider.issues`).
 */
export const BUBBLE_TYPES = ["TEXT", "IMAGE", "WIDE", "WIDE_ITEM_LIST", "CAROUSEL_FEED", "COMMERCE", "CAROUSEL_COMMERCE", "PREMIUM_VIDEO"] as const;
export type BubbleType = (typeof BUBBLE_TYPES)[number];

export const Targeting = z.enum(["I", "M", "N"]);
export type Targeting = z.infer<typeof Targeting>;

const Link = z.string().max(1000, { message: "links hold at most 1,000 characters" });

/** WL web link, AL app link, BK bot keyword, MD message delivery, BC consultation, BT bot switch, BF business form, AC add channel. */
export const ButtonType = z.enum(["WL", "AL", "BK", "MD", "BC", "BT", "BF", "AC"]);

export const Button = z
  .object({
    name: z.string().min(1),
    type: ButtonType,
    linkMo: Link.optional(),
    linkPc: Link.optional(),
    schemeAndroid: Link.optional(),
    schemeIos: Link.optional(),
    chatExtra: z.string().optional(),
    chatEvent: z.string().optional(),
    bizFormKey: z.string().optional(),
  })
  .superRefine((b, ctx) => {
    if (b.type === "WL" && !b.linkMo) ctx.addIssue({ code: "custom", path: ["linkMo"], message: "a WL button needs linkMo" });
    if (b.type === "AL" && !(b.schemeAndroid && b.schemeIos) && !b.linkMo) ctx.addIssue({ code: "custom", path: ["schemeAndroid"], message: "an AL button needs schemeAndroid and schemeIos" });
  });
export type Button = z.infer<typeof Button>;

/** Coupon titles Kakao allows: five fixed shapes. */
const COUPON_TITLE = [/^([1-9]\d{0,7})원 할인 쿠폰$/, /^(100|[1-9]\d?)% 할인 쿠폰$/, /^배송비 할인 쿠폰$/, /^.{1,7} 무료 쿠폰$/, /^.{1,7} UP 쿠폰$/];

export const Coupon = z.object({
  title: z.string().refine((t) => COUPON_TITLE.some((r) => r.test(t)), {
    message: 'coupon title must be one of "N원 할인 쿠폰", "N% 할인 쿠폰", "배송비 할인 쿠폰", "(7 characters) 무료 쿠폰", "(7 characters) UP 쿠폰"',
  }),
  description: z.string().min(1).refine((d) => !/[\r\n]/.test(d), { message: "coupon description takes no line breaks" }),
  linkMo: Link.optional(),
  linkPc: Link.optional(),
  schemeAndroid: Link.optional(),
  schemeIos: Link.optional(),
});

/** An image uploaded to the provider: NHN takes its `url`, Solapi its storage `id`. */
export const Image = z
  .object({ url: z.url().optional(), id: z.string().min(1).optional(), link: Link.optional() })
  .refine((i) => i.url !== undefined || i.id !== undefined, { message: "an image needs url (NHN Cloud) or id (Solapi)" });

/** One wide-list item. The first (main) item's title is optional, the others need one; both vendors require linkMo. */
export const WideItem = z.object({
  title: z.string().min(1).optional(),
  image: Image,
  linkMo: Link,
  linkPc: Link.optional(),
  schemeAndroid: Link.optional(),
  schemeIos: Link.optional(),
});

/**
 * Price shown on commerce bubbles. Both vendors take a regular price alone, or with a discount price plus exactly
 * one of discountRate and discountFixed (NHN's table; Solapi's bmsCommerce.ts).
 */
export const Commerce = z
  .object({
    title: z.string().min(1).max(30),
    regularPrice: z.number().int().min(0).max(99_999_999),
    discountPrice: z.number().int().min(0).max(99_999_999).optional(),
    discountRate: z.number().int().min(0).max(100).optional(),
    discountFixed: z.number().int().min(0).max(999_999).optional(),
  })
  .superRefine((c, ctx) => {
    const extras = (c.discountRate !== undefined ? 1 : 0) + (c.discountFixed !== undefined ? 1 : 0);
    if (c.discountPrice !== undefined && extras !== 1) ctx.addIssue({ code: "custom", path: ["discountPrice"], message: "a discountPrice needs exactly one of discountRate and discountFixed" });
    if (c.discountPrice === undefined && extras > 0) ctx.addIssue({ code: "custom", path: ["discountPrice"], message: "discountRate and discountFixed need a discountPrice" });
  });

/** A carousel card: CAROUSEL_FEED cards take header + content, CAROUSEL_COMMERCE cards additionalContent + commerce. */
export const CarouselItem = z.object({
  header: z.string().max(20, { message: "holds at most 20 characters" }).optional(),
  content: z.string().max(180, { message: "holds at most 180 characters" }).optional(),
  additionalContent: z.string().max(34, { message: "holds at most 34 characters" }).optional(),
  image: Image,
  buttons: z.array(Button).min(1, { message: "each carousel item needs 1 or 2 buttons" }).max(2, { message: "each carousel item takes at most 2 buttons" }),
  coupon: Coupon.optional(),
  commerce: Commerce.optional(),
});

/** The intro card (CAROUSEL_COMMERCE only). linkMo is required as soon as any other link is given. */
const CarouselHead = z
  .object({
    header: z.string().max(20, { message: "holds at most 20 characters" }),
    content: z.string().max(50, { message: "holds at most 50 characters" }),
    image: Image,
    linkMo: Link.optional(),
    linkPc: Link.optional(),
    schemeAndroid: Link.optional(),
    schemeIos: Link.optional(),
  })
  .refine((h) => h.linkMo !== undefined || (h.linkPc === undefined && h.schemeAndroid === undefined && h.schemeIos === undefined), {
    path: ["linkMo"],
    message: "linkMo is required when the head has any other link",
  });

export const Carousel = z.object({
  head: CarouselHead.optional(),
  list: z.array(CarouselItem).min(1).max(6),
  tail: z.object({ linkMo: Link, linkPc: Link.optional(), schemeAndroid: Link.optional(), schemeIos: Link.optional() }).optional(),
});

/**
 * A KakaoTV video (PREMIUM_VIDEO). The thumbnail is an uploaded image: NHN takes its URL (`thumbnailUrl`), Solapi its
 * storage id (`thumbnailId`, sent as video.imageId).
 */
export const Video = z.object({
  videoUrl: z.url().refine((u) => u.startsWith("https://tv.kakao.com/"), { message: "must be a KakaoTV link (https://tv.kakao.com/...)" }),
  thumbnailUrl: z.url().optional(),
  thumbnailId: z.string().min(1).optional(),
});
