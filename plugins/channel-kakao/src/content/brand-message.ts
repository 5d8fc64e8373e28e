import { z } from "zod";
import { BUBBLE_TYPES, Button, Carousel, Commerce, Coupon, Image, Targeting, Video, WideItem, type BubbleType } from "./brand-message-parts.js";

interface Limits {
  content?: { max: number; breaks: number; required: boolean };
  buttons: { min: number; max: number; maxWithCoupon?: number; nameMax: number };
  couponDescription: number;
  requires: ("image" | "header" | "items" | "commerce" | "carousel" | "video")[];
}

/**
 * Per bubble type, from NHN's freestyle request tables (as updated 2026-05) and Solapi's bmsConstraints.ts: the
 * widest a provider documents; a provider that takes less says so in its `issues` (Solapi: one line break in WIDE
 * and PREMIUM_VIDEO content, where NHN takes 5).
 */
export const BRAND_MESSAGE_LIMITS: Record<BubbleType, Limits> = {
  TEXT: { content: { max: 1300, breaks: 99, required: true }, buttons: { min: 0, max: 5, maxWithCoupon: 4, nameMax: 14 }, couponDescription: 12, requires: [] },
  IMAGE: { content: { max: 1300, breaks: 99, required: true }, buttons: { min: 0, max: 5, maxWithCoupon: 4, nameMax: 14 }, couponDescription: 12, requires: ["image"] },
  WIDE: { content: { max: 76, breaks: 5, required: true }, buttons: { min: 0, max: 2, nameMax: 8 }, couponDescription: 18, requires: ["image"] },
  WIDE_ITEM_LIST: { buttons: { min: 0, max: 2, nameMax: 8 }, couponDescription: 18, requires: ["header", "items"] },
  PREMIUM_VIDEO: { content: { max: 76, breaks: 5, required: false }, buttons: { min: 0, max: 1, nameMax: 8 }, couponDescription: 18, requires: ["video"] },
  COMMERCE: { buttons: { min: 1, max: 2, nameMax: 8 }, couponDescription: 12, requires: ["image", "commerce"] },
  CAROUSEL_FEED: { buttons: { min: 0, max: 0, nameMax: 8 }, couponDescription: 12, requires: ["carousel"] },
  CAROUSEL_COMMERCE: { buttons: { min: 0, max: 0, nameMax: 8 }, couponDescription: 12, requires: ["carousel"] },
};

const lineBreaks = (s: string) => (s.match(/\r\n|\r|\n/g) ?? []).length;

/**
 * Brand Message (브랜드 메시지), Kakao's successor to Friendtalk since 2026-01-01. Always advertising;
 * `targeting` I reaches channel friends among the recipients, M/N marketing-consent users (approved
 * channels only). Every limit is checked here so a bad message never reaches a provider.
 */
export const BrandMessage = z
  .object({
    kind: z.literal("brand"),
    chatBubbleType: z.enum(BUBBLE_TYPES),
    targeting: Targeting.optional(),
    content: z.string().optional(),
    header: z.string().max(20, { message: "header holds at most 20 characters" }).refine((h) => lineBreaks(h) === 0, { message: "header takes no line breaks" }).optional(),
    additionalContent: z.string().max(34, { message: "additionalContent holds at most 34 characters" }).optional(),
    image: Image.optional(),
    buttons: z.array(Button).optional(),
    coupon: Coupon.optional(),
    items: z.array(WideItem).optional(),
    commerce: Commerce.optional(),
    carousel: Carousel.optional(),
    video: Video.optional(),
    adult: z.boolean().optional(),
    pushAlarm: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    const limits = BRAND_MESSAGE_LIMITS[m.chatBubbleType];
    const t = m.chatBubbleType;
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    if (limits.content) {
      const c = m.content;
      if (c === undefined || c === "") {
        if (limits.content.required) issue(["content"], `${t} needs content`);
      } else {
        if (c.length > limits.content.max) issue(["content"], `${t} content holds at most ${limits.content.max.toLocaleString("en-US")} characters, got ${c.length.toLocaleString("en-US")}`);
        if (lineBreaks(c) > limits.content.breaks) issue(["content"], `${t} content takes at most ${limits.content.breaks} line breaks`);
      }
    } else if (m.content !== undefined) {
      issue(["content"], `${t} takes no content field`);
    }
    for (const field of limits.requires) if (m[field] === undefined) issue([field], `${t} needs ${field}`);
    if (m.items && (m.items.length < 3 || m.items.length > 4)) issue(["items"], "WIDE_ITEM_LIST takes 3 or 4 items (one main, then sub items)");
    m.items?.forEach((it, i) => {
      const max = i === 0 ? 25 : 30;
      if (it.title === undefined) {
        if (i > 0) issue(["items", i, "title"], "items after the first need a title");
      } else {
        if (it.title.length > max) issue(["items", i, "title"], `holds at most ${max} characters`);
        if (lineBreaks(it.title) > 1) issue(["items", i, "title"], "takes at most 1 line break");
      }
    });
    if (m.carousel) {
      // Only the commerce carousel has an intro card (NHN's CAROUSEL_FEED body has no head; Solapi's SDK agrees).
      if (m.carousel.head && t !== "CAROUSEL_COMMERCE") issue(["carousel", "head"], `${t} takes no head (only CAROUSEL_COMMERCE has one)`);
      const n = m.carousel.list.length;
      const [min, max] = m.carousel.head ? [1, 5] : [2, 6];
      if (n < min || n > max) issue(["carousel", "list"], `a carousel ${m.carousel.head ? "with" : "without"} a head takes ${min}–${max} items, got ${n}`);
      m.carousel.list.forEach((item, i) => {
        item.buttons.forEach((b, j) => {
          if (b.type !== "WL" && b.type !== "AL") issue(["carousel", "list", i, "buttons", j, "type"], "carousel buttons are WL or AL only");
        });
        const at = (field: string) => ["carousel", "list", i, field];
        if (t === "CAROUSEL_COMMERCE") {
          if (!item.commerce) issue(at("commerce"), "CAROUSEL_COMMERCE items need commerce");
          if (item.header !== undefined) issue(at("header"), "CAROUSEL_COMMERCE items take no header");
          if (item.content !== undefined) issue(at("content"), "CAROUSEL_COMMERCE items take no content");
        } else if (t === "CAROUSEL_FEED") {
          if (item.header === undefined) issue(at("header"), "CAROUSEL_FEED items need a header");
          if (item.content === undefined) issue(at("content"), "CAROUSEL_FEED items need content");
          if (item.additionalContent !== undefined) issue(at("additionalContent"), "CAROUSEL_FEED items take no additionalContent");
          if (item.commerce !== undefined) issue(at("commerce"), "CAROUSEL_FEED items take no commerce");
        }
      });
    }
    const buttons = m.buttons ?? [];
    const max = m.coupon && limits.buttons.maxWithCoupon !== undefined ? limits.buttons.maxWithCoupon : limits.buttons.max;
    if (buttons.length > max) issue(["buttons"], `${t} takes at most ${max} buttons${m.coupon ? " with a coupon" : ""}, got ${buttons.length}`);
    if (buttons.length < limits.buttons.min) issue(["buttons"], `${t} needs at least ${limits.buttons.min} button(s)`);
    buttons.forEach((b, i) => {
      if (b.type !== "AC" && b.name.length > limits.buttons.nameMax) issue(["buttons", i, "name"], `${t} button names hold at most ${limits.buttons.nameMax} characters`);
      // Kakao allows the add-channel button only when sending to marketing-consent users (targeting M/N).
      if (b.type === "AC" && (m.targeting ?? "I") === "I") issue(["buttons", i, "type"], "AC (add channel) buttons need targeting M or N");
      if (b.type === "BF" && i !== 0) issue(["buttons", i, "type"], "a BF (business form) button must be the first button");
    });
    if (m.coupon && m.coupon.description.length > limits.couponDescription) {
      issue(["coupon", "description"], `${t} coupon descriptions hold at most ${limits.couponDescription} characters`);
    }
  });
export type BrandMessage = z.infer<typeof BrandMessage>;
