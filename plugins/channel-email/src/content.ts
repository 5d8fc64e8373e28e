import { z } from "zod";

/** Header names a message may add itself: only X- extensions, so it cannot forge From, List-* or DKIM. */
const CustomHeaderName = z.string().regex(/^X-[A-Za-z0-9-]{1,70}$/, "only X- headers may be set by content");

/** A rendered e-mail: what a journey step's `email` content must look like after templating. */
export const EmailContent = z
  .object({
    subject: z
      .string()
      .trim()
      .min(1)
      .max(998)
      .refine((s) => !/[\r\n]/.test(s), "the subject must be one line"),
    html: z.string().min(1).optional(),
    /** Plain-text part; derived from `html` when absent. */
    text: z.string().min(1).optional(),
    /** Overrides the workspace's Reply-To for this message. */
    replyTo: z.email().optional(),
    /** Rewrites every http(s) link of the HTML part through the click-tracking route (/l/:token). */
    trackClicks: z.boolean().default(false),
    /** `false` leaves the open pixel out of this message; `true` cannot turn on what the channel turned off. */
    trackOpens: z.boolean().default(true),
    /** The earlier name, refused rather than ignored so that `openPixel: false` cannot silently turn tracking on. */
    openPixel: z.never({ message: "renamed trackOpens (default true: set trackOpens: false to leave the open pixel out)" }).optional(),
    headers: z.record(CustomHeaderName, z.string().max(998).refine((v) => !/[\r\n]/.test(v), "header values must be one line")).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.html === undefined && c.text === undefined) ctx.addIssue({ code: "custom", path: ["html"], message: "html or text is required" });
  });
export type EmailContent = z.infer<typeof EmailContent>;
export type EmailContentInput = z.input<typeof EmailContent>;

/** Written in a template where the unsubscribe link goes; Liquid leaves it alone, the channel fills it in. */
export const UNSUBSCRIBE_PLACEHOLDER = "%%unsubscribe_url%%";
