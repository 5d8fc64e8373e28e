import { IANAZone } from "luxon";
import { z } from "zod";
import { OnCapped } from "../domain/message.js";
import { DailyWindow } from "./daily-window.js";

const Time = z.string().regex(DailyWindow.pattern, { message: 'must be a local time "HH:mm" (00:00–23:59)' });
const Zone = z.string().refine((z) => IANAZone.isValidZone(z), { message: "must be an IANA time zone such as Asia/Seoul" });

/** One quiet-hours rule: a daily local window in which matching messages wait (or are dropped). */
export const QuietHoursRule = z
  .object({
    /** Names the rule in decisions. */
    id: z.string().min(1).default("quiet-hours"),
    /** The channels it covers; every channel when absent. */
    channels: z.array(z.string().min(1)).min(1).optional(),
    from: Time,
    to: Time,
    /** "defer": send at the end of the window (default); "drop": do not send at all. */
    action: z.enum(["defer", "drop"]).default("defer"),
    /** Transactional messages (one-time codes, receipts) ignore quiet hours unless this is false. */
    marketingOnly: z.boolean().default(true),
    /** A fixed zone (a provider's own sending window); the recipient's zone when absent. */
    timezone: Zone.optional(),
  })
  .refine((r) => r.from !== r.to, { message: "from and to must differ", path: ["to"] });
export type QuietHoursRule = z.infer<typeof QuietHoursRule>;

/** At most `max` messages per person in the current calendar period(s), in the recipient's zone. */
export const FrequencyCap = z.object({
  id: z.string().min(1),
  max: z.number().int().positive(),
  per: z.enum(["day", "week", "month"]),
  /** How many calendar periods the window spans, the current one included (7 days: per "day", span 7). */
  span: z.number().int().positive().default(1),
  /** Only messages on this channel count and are capped; all channels when absent. */
  channel: z.string().min(1).optional(),
  /** A journey id, or "*" for each journey separately; all messages when absent. */
  journey: z.string().min(1).optional(),
  /** Only marketing messages count and are capped (default); false caps transactional ones too. */
  marketingOnly: z.boolean().default(true),
  /** Overrides the plugin's `onCapped` for this cap. */
  onCapped: OnCapped.optional(),
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/** What an advertising message must carry on one channel (정보통신망법 §50④⑥). */
export const AdChannelRules = z.object({
  /**
   * The rendered content field holding the text the checks read. Checked at boot against the channel's content
   * schema; when absent, the first of `text` (SMS) and `content` (Kakao Brand Message, Friendtalk) the channel has.
   */
  field: z.string().min(1).optional(),
  /** Starts with "(광고)". */
  label: z.boolean().default(true),
  /** Names the sender and a contact (from `sender`). */
  sender: z.boolean().default(true),
  /** Has a free opt-out line (무료수신거부 080-...). */
  optOut: z.boolean().default(true),
});
export type AdChannelRules = z.infer<typeof AdChannelRules>;

export const KoreanAdRulesConfig = z.object({
  /** The channels whose marketing messages are advertising under the Act: ids, or ids with their checks. */
  channels: z
    .union([z.array(z.string().min(1)).min(1), z.record(z.string(), AdChannelRules.prefault({}))])
    .transform((c) => (Array.isArray(c) ? Object.fromEntries(c.map((id) => [id, AdChannelRules.parse({})])) : c)),
  /** The sender's name and contact as they must appear in the text. */
  sender: z.object({ name: z.string().min(1), contact: z.string().min(1) }).optional(),
  /** A regular expression the opt-out line must match. */
  optOutPattern: z
    .string()
    .default("무료\\s*(수신\\s*)?거부")
    .refine((p) => isRegExp(p), { message: "must be a valid regular expression" }),
  /** Advertising needs separate consent in this window (§50③); Korea time for Korean numbers. */
  night: z.object({ from: Time.default("21:00"), to: Time.default("08:00"), action: z.enum(["defer", "drop"]).default("defer") }).prefault({}),
  /** The zone of the legal clock for Korean recipients. */
  zone: Zone.default("Asia/Seoul"),
  /** Consent older than this needs re-confirmation (§50⑧, decree §62-3): two years. */
  consentMaxAgeDays: z.number().int().positive().default(730),
  /** "flag" records it and sends (default); "suppress" refuses until the consent is re-confirmed. */
  staleConsent: z.enum(["flag", "suppress"]).default("flag"),
});
export type KoreanAdRulesConfig = z.infer<typeof KoreanAdRulesConfig>;

/** Configuration of the `policies()` plugin. */
export const PoliciesConfig = z.object({
  quietHours: z.array(QuietHoursRule).default([]),
  frequencyCaps: z
    .array(FrequencyCap)
    .default([])
    .superRefine((caps, ctx) => {
      const seen = new Set<string>();
      caps.forEach((c, i) => {
        if (seen.has(c.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate cap id "${c.id}"` });
        seen.add(c.id);
      });
    }),
  /** What a journey does with a capped person: move on (default), wait for the cap to free up, or exit. */
  onCapped: OnCapped.default("continue"),
  koreanAdRules: KoreanAdRulesConfig.optional(),
});
export type PoliciesConfig = z.infer<typeof PoliciesConfig>;
export type PoliciesConfigInput = z.input<typeof PoliciesConfig>;

function isRegExp(p: string): boolean {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}
