import { z } from "zod";
import { SandboxFailure } from "@nudge/core";
import { Targeting } from "./content/brand-message-parts.js";

const Secret = z.string().min(1);
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be HH:mm" });

/** NHN Cloud KakaoTalk Bizmessage: app key in the path, `X-Secret-Key`, the channel's 40-character sender key. */
export const NhnCloudKakaoConfig = z.object({
  type: z.literal("nhncloud"),
  appKey: Secret,
  secretKey: Secret,
  senderKey: z.string().length(40, { message: "an NHN sender key has 40 characters" }),
  baseUrl: z.url().default("https://kakaotalk-bizmessage.api.nhncloudservice.com"),
  /** The signature typed into the console's webhook settings (`X-Toast-Webhook-Signature`). */
  webhookSignature: Secret.optional(),
});

export const SolapiKakaoConfig = z.object({
  type: z.literal("solapi"),
  apiKey: Secret,
  apiSecret: Secret,
  /** The Kakao channel's Solapi id (pfId). */
  pfId: Secret,
  baseUrl: z.url().default("https://api.solapi.com"),
  /**
   * Solapi documents no signature scheme for its webhooks (its webhook API's `secret` field is undescribed; see
   * webhooks.ts): register the URL with `?token=<this>` and reports without it are refused.
   */
  webhookToken: Secret.optional(),
});

export const SandboxKakaoConfig = z.object({
  type: z.literal("sandbox"),
  failFor: z.record(z.string(), SandboxFailure).default({}),
  failRate: z.number().min(0).max(1).default(0),
  failKind: SandboxFailure.default("transient"),
});

/**
 * When Brand Messages may be sent, local time. Kakao refuses them 20:50–08:00 KST (NHN's freestyle guide:
 * "Delivery restricted during night (20:50~08:00)"); some providers document 20:00, so it is configurable and
 * defaults to the stricter published end.
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
  currency: z.string().length(3).default("KRW"),
});

/**
 * The provider's own fallback (대체발송) to SMS/LMS when Kakao cannot deliver after accepting. Off by
 * default: Nudge's fallback chain covers failures known at send time; this covers the later ones.
 */
export const Resend = z.object({
  enabled: z.boolean().default(false),
  type: z.enum(["SMS", "LMS"]).optional(),
  /** Registered SMS sender number (NHN resendSendNo). */
  sendNo: z.string().optional(),
  /** Registered 080 opt-out number, required for advertising fallbacks (NHN resendUnsubscribeNo). */
  unsubscribeNo: z.string().optional(),
  title: z.string().optional(),
});

export const KakaoConfig = z.object({
  id: z.string().min(1).default("kakao"),
  /** Also register `kakao-friendtalk`, taking the legacy Friendtalk shape. */
  friendtalkChannel: z.boolean().default(true),
  provider: z.discriminatedUnion("type", [NhnCloudKakaoConfig, SolapiKakaoConfig, SandboxKakaoConfig]).default({ type: "sandbox", failFor: {}, failRate: 0, failKind: "transient" }),
  /** Targeting for Brand Messages that name none: I (channel friends among the recipients). */
  targeting: Targeting.default("I"),
  sendingWindow: SendingWindow.default({ start: "08:00", end: "20:50", timezone: "Asia/Seoul" }),
  prices: KakaoPrices.default(KakaoPrices.parse({})),
  resend: Resend.default({ enabled: false }),
  alimtalk: z.object({ templates: z.record(z.string(), z.object({ variables: z.array(z.string()) })).default({}) }).default({ templates: {} }),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type KakaoConfig = z.output<typeof KakaoConfig>;
export type KakaoConfigInput = z.input<typeof KakaoConfig>;
export type NhnCloudKakaoConfig = z.output<typeof NhnCloudKakaoConfig>;
export type SolapiKakaoConfig = z.output<typeof SolapiKakaoConfig>;
export type SendingWindow = z.output<typeof SendingWindow>;
