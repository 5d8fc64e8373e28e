import { z } from "zod";

/** An MMS image already uploaded to the provider (NHN: attachFileId; Solapi: imageId). */
export const MmsImage = z.object({
  /** The provider's id of the uploaded file. */
  ref: z.string().min(1),
  /** File name: carriers take JPEG only. */
  name: z.string().regex(/\.jpe?g$/i, { message: "MMS images must be JPEG (.jpg/.jpeg)" }),
  /** Size in bytes, checked against the provider's limit (NHN 300 KB, Solapi 200 KB). */
  sizeBytes: z.number().int().positive(),
});
export type MmsImage = z.infer<typeof MmsImage>;

/**
 * What a journey sends on the sms channel. SMS, LMS or MMS is chosen from the content: images make an
 * MMS, a title or more than 90 EUC-KR bytes an LMS. Byte limits are checked by the channel's prepare().
 */
export const SmsContent = z.object({
  text: z.string().min(1, { message: "text must not be empty" }),
  /** LMS/MMS subject, up to 40 EUC-KR bytes. */
  title: z.string().min(1).optional(),
  images: z.array(MmsImage).max(3, { message: "at most 3 MMS images" }).optional(),
  /** A registered sender number; the first configured sender when absent. */
  from: z.string().optional(),
  /** Force a type instead of choosing from the content (e.g. LMS for a short text with a title). */
  type: z.enum(["SMS", "LMS", "MMS"]).optional(),
});
export type SmsContent = z.infer<typeof SmsContent>;
export type SmsType = "SMS" | "LMS" | "MMS";

/**
 * An advertising label at the start of a text (after optional whitespace): "(광고)", the form 정보통신망법 §50④
 * requires, or a variant that still announces an ad ("[광고]", "(광 고)", full-width brackets). Such a text is
 * advertising whatever the send's marketing flag says; a variant then fails the exact-label check of the ad rules.
 */
const AD_LABEL_AT_START = /^\s*([(\[（［【〔]\s*광\s*고\s*[)\]）］】〕])/u;

/** The label an SMS text starts with, or null. */
export function adLabelAtStart(text: string): string | null {
  return AD_LABEL_AT_START.exec(text)?.[1] ?? null;
}
