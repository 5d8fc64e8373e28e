import type { Provider } from "@nudge/core";
import type { MmsImage } from "./content.js";
import type { SmsEncoding } from "./encoding.js";

/** The message types of the sms channel: Korean SMS/LMS/MMS by EUC-KR bytes, and SMS to numbers outside Korea. */
export type SmsMessageType = "SMS" | "LMS" | "MMS" | "INTL_SMS";

/**
 * What an sms provider receives as `ProviderCall.payload`: one message, planned and checked by the channel
 * (type, byte limits, registered sender, ad format). The recipient is `ProviderCall.to` (E.164); Nudge's ids
 * are in `ProviderCall.context`. Kept to plain values: the sandbox records it as the outbox entry's content.
 */
export interface SmsPayload {
  type: SmsMessageType;
  /**
   * The registered sender number (발신번호 사전등록) in E.164, for Korean messages (`nationalNumber()` gives the
   * digits Korean vendors take). Absent for INTL_SMS: international providers send from their own number.
   */
  from?: string;
  text: string;
  /** LMS/MMS subject (≤ 40 EUC-KR bytes); the channel fills one from the first line when the content has none. */
  title?: string;
  /** MMS images, already uploaded to the vendor: `ref` is the vendor's file id. */
  images?: MmsImage[];
  /** An advertisement (정보통신망법 §50): the text already starts with "(광고)" and ends with a free 080 opt-out. */
  ad: boolean;
}

/** How many MMS images a vendor takes per message, and how large each may be. */
export interface MmsImageLimits {
  max: number;
  maxBytes: number;
  /** All images of one MMS together (NHN Cloud: 800 KB). */
  maxTotalBytes?: number;
  /** Pixel limits, checked where the image bytes pass through Nudge (a provider's upload helper). */
  maxWidth?: number;
  maxHeight?: number;
}

/**
 * A provider of the sms channel kind (`channel: "sms"`). Korean providers are named in the channel's
 * `providers`, international ones in its `international`. Besides the Provider contract it tells the channel
 * the vendor limits the channel checks before sending.
 */
export interface SmsProvider extends Provider<SmsPayload> {
  /** MMS image limits (NHN Cloud 3 × 300 KB, Solapi 1 × 200 KB); the channel assumes 3 × 300 KB when absent. */
  readonly images?: MmsImageLimits;
  /** The longest text an international provider takes, in characters (Twilio: 1,600). */
  readonly maxTextChars?: number;
  /**
   * The code page the vendor documents for Korean text: "euc-kr" (strict KS X 1001, the default) or "cp949" (also
   * the 8,822 extension syllables such as 똠 or 햏). Declare "cp949" only where the vendor's documentation says so.
   */
  readonly encoding?: SmsEncoding;
}

/**
 * International providers may report the segments the vendor counted in `SendResult.details.segments`; the
 * channel prices INTL_SMS per segment with it (its own GSM-7/UCS-2 count otherwise).
 */
export interface SmsSendDetails {
  segments?: number;
}
