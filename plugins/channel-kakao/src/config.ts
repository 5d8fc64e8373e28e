import { z } from "zod";
import { Targeting } from "./content/brand-message-parts.js";

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be HH:mm" });

/** A provider id as provider plugins register it: "nhncloud", "solapi", "sandbox" ... */
const ProviderId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must be a provider id such as "nhncloud" or "sandbox"' });

/**
 * A key of the old shape (vendors chosen by a config union). Refused rather than ignored: a host upgrading with
 * `provider: { type: "nhncloud", ... }` would otherwise send everything to the sandbox without a word.
 */
const removed = (hint: string) => z.never({ error: hint }).optional();

/**
 * When Brand Messages may be sent, local time. Kakao refuses them 20:50–08:00 KST (NHN's freestyle guide:
 * "야간 발송 제한(20:50~다음 날 08:00)"); some providers document 20:00, so it is configurable and defaults to the
 * stricter published end.
 */
export const SendingWindow = z.object({ start: HHMM.default("08:00"), end: HHMM.default("20:50"), timezone: z.string().default("Asia/Seoul") });

/** Expected price per message type (KRW); placeholders, set your contract's prices. */
export const KakaoPrices = z.object({
  BMS_TEXT: z.number().nonnegative().default(20),
  BMS_IMAGE: z.number().nonnegative().default(25),
  BMS_WIDE: z.number().nonnegative().default(25),
  BMS_WIDE_ITEM_LIST: z.number().nonnegative().default(30),
  BMS_CAROUSEL_FEED: z.number().nonnegative().default(35),
  BMS_COMMERCE: z.number().nonnegative().default(30),
  BMS_CAROUSEL_COMMERCE: z.number().nonnegative().default(40),
  BMS_PREMIUM_VIDEO: z.number().nonnegative().default(40),
  ALIMTALK: z.number().nonnegative().default(8),
  /** The vendor's own SMS/LMS/MMS resend (대체발송), recorded on the attempt's `details.resend` once it went out. */
  RESEND_SMS: z.number().nonnegative().default(10),
  RESEND_LMS: z.number().nonnegative().default(30),
  RESEND_MMS: z.number().nonnegative().default(100),
  currency: z.string().length(3).default("KRW"),
});

export const KakaoConfig = z.object({
  id: z.string().min(1).default("kakao"),
  /** Also register `kakao-friendtalk`, taking the legacy Friendtalk shape. */
  friendtalkChannel: z.boolean().default(true),
  /**
   * Providers in failover order: the next is tried only when the previous provably did not act (connection
   * refused, HTTP 429). "sandbox" needs no plugin; any other id needs its provider plugin (`nhnCloudKakao()`,
   * `solapiKakao()` ...). Both channels of the plugin use the same providers.
   */
  providers: z.array(ProviderId).min(1).default(["sandbox"]),
  /** Targeting for Brand Messages that name none: I (channel friends among the recipients). */
  targeting: Targeting.default("I"),
  sendingWindow: SendingWindow.default({ start: "08:00", end: "20:50", timezone: "Asia/Seoul" }),
  prices: KakaoPrices.default(KakaoPrices.parse({})),
  alimtalk: z.object({ templates: z.record(z.string(), z.object({ variables: z.array(z.string()) })).default({}) }).default({ templates: {} }),
  provider: removed('replaced by `providers: ["nhncloud"]` (ids in failover order) and the provider plugin in `plugins`, e.g. nhnCloudKakao({ appKey, secretKey, senderKey }) from @nudge/provider-nhncloud or solapiKakao({ apiKey, apiSecret, pfId }) from @nudge/provider-solapi'),
  resend: removed("the vendor's own SMS fallback (대체발송) is set on the provider plugin now: nhnCloudKakao({ resend }) or solapiKakao({ resend })"),
  timeoutMs: removed("set on the provider plugin now: nhnCloudKakao({ timeoutMs }) or solapiKakao({ timeoutMs })"),
});
export type KakaoConfig = z.output<typeof KakaoConfig>;
export type KakaoConfigInput = z.input<typeof KakaoConfig>;
export type SendingWindow = z.output<typeof SendingWindow>;
