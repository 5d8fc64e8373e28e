import { z } from "zod";

/**
 * Building blocks of Brand Message (브랜드 메시지) content. Field names follow NHN Cloud's freestyle API
 * (https://docs.nhncloud.com/en/Notification/KakaoTalk%20Bizmessage/en/friendtalkupgrade-api-guide/);
 * limits come from that page and Solapi's SDK constraints (solapi/solapi-nodejs src/models/base/kakao/bms/bmsConstraints.ts).
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

export const WideItem = z.object({
  title: z.string().min(1),
  image: Image,
  linkMo: Link.optional(),
  linkPc: Link.optional(),
  schemeAndroid: Link.optional(),
  schemeIos: Link.optional(),
});

export const Commerce = z.object({
  title: z.string().min(1).max(30),
  regularPrice: z.number().int().nonnegative(),
  discountPrice: z.number().int().nonnegative().optional(),
  discountRate: z.number().int().min(0).max(100).optional(),
  discountFixed: z.number().int().nonnegative().optional(),
});

export const CarouselItem = z.object({
  header: z.string().max(20, { message: "holds at most 20 characters" }).optional(),
  content: z.string().max(180, { message: "holds at most 180 characters" }).optional(),
  additionalContent: z.string().max(34, { message: "holds at most 34 characters" }).optional(),
  image: Image,
  buttons: z.array(Button).min(1, { message: "each carousel item needs 1 or 2 buttons" }).max(2, { message: "each carousel item takes at most 2 buttons" }),
  coupon: Coupon.optional(),
  commerce: Commerce.optional(),
});

export const Carousel = z.object({
  head: z.object({ header: z.string().max(20), content: z.string().max(50), image: Image, linkMo: Link.optional() }).optional(),
  list: z.array(CarouselItem).min(1).max(6),
  tail: z.object({ linkMo: Link, linkPc: Link.optional() }).optional(),
});

export const Video = z.object({ videoUrl: z.url(), thumbnailUrl: z.url().optional() });
