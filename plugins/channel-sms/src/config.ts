import { z } from "zod";
import { SandboxFailure } from "@nudge/core";

const Secret = z.string().min(1);

/** NHN Cloud SMS API v3.0: app key in the path, secret key in `X-Secret-Key`. */
export const NhnCloudSmsConfig = z.object({
  type: z.literal("nhncloud"),
  appKey: Secret,
  secretKey: Secret,
  baseUrl: z.url().default("https://sms.api.nhncloudservice.com"),
  /** The signature entered in the console's webhook settings; sent back as `X-Toast-Webhook-Signature`. */
  webhookSignature: Secret.optional(),
});

/** Solapi messages v4, HMAC-SHA256 request signing. */
export const SolapiSmsConfig = z.object({
  type: z.literal("solapi"),
  apiKey: Secret,
  apiSecret: Secret,
  baseUrl: z.url().default("https://api.solapi.com"),
  /**
   * Solapi documents no signature scheme for its delivery-report webhooks (the webhook API's optional `secret`
   * is undescribed; see webhooks.ts): register the webhook URL with `?token=<this value>` and reports without
   * it are refused.
   */
  webhookToken: Secret.optional(),
});

/** Records sends in the instance's sandbox outbox; every content rule still applies. */
export const SandboxSmsConfig = z.object({
  type: z.literal("sandbox"),
  failFor: z.record(z.string(), SandboxFailure).default({}),
  failRate: z.number().min(0).max(1).default(0),
  failKind: SandboxFailure.default("transient"),
});

/** Twilio Programmable Messaging, for recipients outside Korea. */
export const TwilioConfig = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, { message: "must be a Twilio Account SID (AC + 32 hex digits)" }),
  authToken: Secret,
  /** A Twilio number in E.164, or use messagingServiceSid. */
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, { message: "must be an E.164 number" }).optional(),
  messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/).optional(),
  baseUrl: z.url().default("https://api.twilio.com"),
  /** Where Twilio posts status callbacks: also the URL the X-Twilio-Signature is computed over. */
  statusCallbackUrl: z.url().optional(),
}).refine((t) => t.from !== undefined || t.messagingServiceSid !== undefined, {
  message: "twilio needs `from` or `messagingServiceSid`",
  path: ["from"],
});

/** Expected price per message type, recorded when the provider returns none. */
export const SmsPrices = z.object({
  SMS: z.number().nonnegative().default(10),
  LMS: z.number().nonnegative().default(30),
  MMS: z.number().nonnegative().default(100),
  /** International SMS through Twilio (per segment, KRW). */
  INTL_SMS: z.number().nonnegative().default(80),
  currency: z.string().length(3).default("KRW"),
});

export const SmsConfig = z.object({
  /** The channel id journeys name. */
  id: z.string().min(1).default("sms"),
  provider: z.discriminatedUnion("type", [NhnCloudSmsConfig, SolapiSmsConfig, SandboxSmsConfig]).default({
    type: "sandbox",
    failFor: {},
    failRate: 0,
    failKind: "transient",
  }),
  /** Registered sender numbers (발신번호 사전등록), E.164 or Korean national format; the first is the default. */
  senders: z.array(z.string().min(3)).min(1),
  /** Sends to non-Korean numbers through Twilio; without it they are unreachable on this channel. */
  twilio: TwilioConfig.optional(),
  /** The 080 number registered for ad opt-outs, used by the ad-format check. */
  optOutNumber: z.string().regex(/^080-?\d{3,4}-?\d{4}$/).optional(),
  prices: SmsPrices.default({ SMS: 10, LMS: 30, MMS: 100, INTL_SMS: 80, currency: "KRW" }),
  /** Vendor request timeout. */
  timeoutMs: z.number().int().positive().default(15_000),
});
export type SmsConfig = z.output<typeof SmsConfig>;
export type SmsConfigInput = z.input<typeof SmsConfig>;
export type NhnCloudSmsConfig = z.output<typeof NhnCloudSmsConfig>;
export type SolapiSmsConfig = z.output<typeof SolapiSmsConfig>;
export type TwilioConfig = z.output<typeof TwilioConfig>;
