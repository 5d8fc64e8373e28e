import { z } from "zod";

/** A provider id as provider plugins register it: "nhncloud", "solapi", "twilio", "sandbox" ... */
const ProviderId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: "must be a provider id such as \"nhncloud\" or \"sandbox\"" });

/**
 * A key of the old shape (vendors chosen by a config union). Refused rather than ignored: a host upgrading with
 * `provider: { type: "nhncloud", ... }` would otherwise send everything to the sandbox without a word.
 */
const removed = (hint: string) => z.never({ error: hint }).optional();

/** Expected price per message type, recorded when the provider returns none. */
export const SmsPrices = z.object({
  SMS: z.number().nonnegative().default(10),
  LMS: z.number().nonnegative().default(30),
  MMS: z.number().nonnegative().default(100),
  /** International SMS (per segment, KRW). */
  INTL_SMS: z.number().nonnegative().default(80),
  currency: z.string().length(3).default("KRW"),
});

export const SmsConfig = z.object({
  /** The channel id journeys name. */
  id: z.string().min(1).default("sms"),
  /**
   * Providers for Korean numbers, in failover order: the next is tried only when the previous provably did not
   * act (connection refused, HTTP 429). "sandbox" needs no plugin; any other id needs its provider plugin
   * (`nhnCloudSms()`, `solapiSms()` ...).
   */
  providers: z.array(ProviderId).min(1).default(["sandbox"]),
  /** Providers for numbers outside Korea (e.g. ["twilio"]); empty: such numbers have no address here and fall back. */
  international: z.array(ProviderId).default([]),
  /** Registered sender numbers (발신번호 사전등록), E.164 or Korean national format; the first is the default. */
  senders: z.array(z.string().min(3)).min(1),
  /** The 080 number registered for ad opt-outs, used by the ad-format check. */
  optOutNumber: z.string().regex(/^080-?\d{3,4}-?\d{4}$/).optional(),
  prices: SmsPrices.default({ SMS: 10, LMS: 30, MMS: 100, INTL_SMS: 80, currency: "KRW" }),
  provider: removed('replaced by `providers: ["nhncloud"]` (ids in failover order) and the provider plugin in `plugins`, e.g. nhnCloudSms({ appKey, secretKey }) from @nudge/provider-nhncloud'),
  twilio: removed('replaced by `international: ["twilio"]` and twilioSms({ accountSid, authToken, from }) from @nudge/provider-twilio in `plugins`'),
});
export type SmsConfig = z.output<typeof SmsConfig>;
export type SmsConfigInput = z.input<typeof SmsConfig>;
