import { z } from "zod";

const Secret = z.string().min(1);

/**
 * NHN's own fallback to SMS/LMS (대체발송) when Kakao cannot deliver after accepting (`resendParameter`). Off by
 * default: Nudge's fallback chain covers failures known at send time; this covers the later ones. The fallback
 * goes out through NHN's SMS service, which needs the SMS app key registered for the Bizmessage app.
 */
export const NhnCloudKakaoResend = z.object({
  enabled: z.boolean().default(false),
  type: z.enum(["SMS", "LMS"]).optional(),
  /** Registered SMS sender number (resendSendNo). */
  sendNo: z.string().optional(),
  /** Registered 080 opt-out number, required for advertising fallbacks of Brand Messages (resendUnsubscribeNo). */
  unsubscribeNo: z.string().optional(),
  /** LMS subject (resendTitle). */
  title: z.string().optional(),
});

/** NHN Cloud KakaoTalk Bizmessage: app key in the path, `X-Secret-Key`, the Kakao channel's 40-character sender key. */
export const NhnCloudKakaoConfig = z.object({
  appKey: Secret,
  secretKey: Secret,
  senderKey: z.string().length(40, { message: "an NHN sender key has 40 characters" }),
  baseUrl: z.url().default("https://kakaotalk-bizmessage.api.nhncloudservice.com"),
  /** The signature typed into the console's webhook settings (`X-Toast-Webhook-Signature`). */
  webhookSignature: Secret.optional(),
  resend: NhnCloudKakaoResend.default({ enabled: false }),
  timeoutMs: z.number().int().positive().default(15_000),
});
export type NhnCloudKakaoConfig = z.output<typeof NhnCloudKakaoConfig>;
export type NhnCloudKakaoConfigInput = z.input<typeof NhnCloudKakaoConfig>;
export type NhnCloudKakaoResend = z.output<typeof NhnCloudKakaoResend>;
