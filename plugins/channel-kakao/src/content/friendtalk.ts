import { z } from "zod";
import type { BrandMessage } from "./brand-message.js";
import { Button, Coupon, Targeting } from "./brand-message-parts.js";

/**
 * The legacy Friendtalk (친구톡) shape, as NHN Cloud's Friendtalk API took it (content, imageUrl/imageLink,
 * buttons with ordering, isAd). Kakao ended Friendtalk on 2025-12-31; the shape is accepted because people
 * still write it, and converted to a Brand Message (NHN: friendtalk-compatible-api-guide maps FT/FI/FW to
 * TEXT/IMAGE/WIDE). Legacy limits: text 1,000 characters, 400 with an image, 76 for a wide image.
 */
export const Friendtalk = z
  .object({
    kind: z.literal("friendtalk").default("friendtalk"),
    content: z.string().min(1, { message: "content must not be empty" }),
    imageUrl: z.url().optional(),
    imageLink: z.string().max(1000).optional(),
    /** A wide image (FW) instead of a normal one (FI). */
    wide: z.boolean().default(false),
    buttons: z.array(Button.safeExtend({ ordering: z.number().int().positive().optional() })).optional(),
    coupon: Coupon.optional(),
    /** Friendtalk's ad flag: Brand Message is always advertising, so false is refused rather than ignored. */
    isAd: z.boolean().default(true),
    targeting: Targeting.optional(),
    adult: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    const max = f.wide ? 76 : f.imageUrl ? 400 : 1000;
    if (f.content.length > max) {
      ctx.addIssue({ code: "custom", path: ["content"], message: `Friendtalk ${f.wide ? "wide " : f.imageUrl ? "image " : ""}content holds at most ${max.toLocaleString("en-US")} characters, got ${f.content.length}` });
    }
    if (f.wide && !f.imageUrl) ctx.addIssue({ code: "custom", path: ["imageUrl"], message: "a wide Friendtalk needs imageUrl" });
    if (!f.isAd) ctx.addIssue({ code: "custom", path: ["isAd"], message: "Friendtalk is sent as Brand Message, which is always advertising: isAd cannot be false" });
  });
export type Friendtalk = z.infer<typeof Friendtalk>;

/** FT -> TEXT, FI -> IMAGE, FW -> WIDE; button `ordering` decides the order and is dropped. */
export function friendtalkToBrandMessage(f: Friendtalk): BrandMessage {
  const chatBubbleType = f.wide ? "WIDE" : f.imageUrl ? "IMAGE" : "TEXT";
  const buttons = f.buttons
    ?.map((b, i) => ({ b, order: b.ordering ?? i + 1 }))
    .sort((x, y) => x.order - y.order)
    .map(({ b }) => {
      const { ordering: _ordering, ...rest } = b;
      return rest;
    });
  return {
    kind: "brand",
    chatBubbleType,
    content: f.content,
    ...(f.imageUrl ? { image: { url: f.imageUrl, ...(f.imageLink ? { link: f.imageLink } : {}) } } : {}),
    ...(buttons ? { buttons } : {}),
    ...(f.coupon ? { coupon: f.coupon } : {}),
    ...(f.targeting ? { targeting: f.targeting } : {}),
    ...(f.adult === undefined ? {} : { adult: f.adult }),
  };
}
