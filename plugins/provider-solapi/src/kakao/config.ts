import { z } from "zod";

const Secret = z.string().min(1);

/**
 * Solapi's own SMS fallback for AlimTalk (대체발송: `kakaoOptions.disableSms: false`, sent from the message's `from`,
 * the provider's registered number). Off by default, and sent explicitly off (`disableSms: true`): Nudge's fallback
 * chain covers failures known at send time, and Solapi's would duplicate it.
 */
export const SolapiKakaoResend = z.object({
  enabled: z.boolean().default(false),
  // Refused rather than ignored: the number now goes on every message, so it moved to the provider's `from`.
  sendNo: z.never({ error: "moved to `from` on solapiKakao(): every Solapi message, fallback or not, goes out from it" }).optional(),
});

/**
 * Solapi requires `from` on every message, Kakao ones included (ATA, BMS_FREE): "발신번호, 사전 등록된 전화번호만
 * 사용 가능", required in the message body of the send APIs (solapi/documents api-reference/messages/sendSimpleMessage.md
 * and groups/addGroupMessages.md, "Body / messages"; https://docs.solapi.com/api-reference/messages/sendSimpleMessage).
 */
const SenderNumber = z
  .string({ error: (issue) => (issue.input === undefined ? "is required: the sender number registered at Solapi (발신번호 사전등록), sent as every message's `from`" : "must be a phone number string") })
  .refine((v) => /^\+?[\d\s-]{3,20}$/.test(v) && /\d{3,}/.test(v.replace(/\D/g, "")), { message: "must be a phone number such as \"1588-0000\" or \"02-1234-5678\"" });

/** Solapi messages v4 for Kakao, every request signed with HMAC-SHA256 (solapi-auth.ts). */
export const SolapiKakaoConfig = z.object({
  apiKey: Secret,
  apiSecret: Secret,
  /** The Kakao channel's Solapi id (pfId). */
  pfId: Secret,
  /** The sender number registered at Solapi (발신번호 사전등록): every message's `from`, and the SMS fallback's number. */
  from: SenderNumber,
  baseUrl: z.url().default("https://api.solapi.com"),
  /**
   * Solapi documents no signature scheme for its webhooks (its webhook API's `secret` field is undescribed; see
   * webhooks.ts): register the URL with `?token=<this>` and reports without it are refused.
   */
  webhookToken: Secret.optional(),
  resend: SolapiKakaoResend.default({ enabled: false }),
  /** Per-request timeout. */
  timeoutMs: z.number().int().positive().default(15_000),
});
export type SolapiKakaoConfig = z.output<typeof SolapiKakaoConfig>;
export type SolapiKakaoConfigInput = z.input<typeof SolapiKakaoConfig>;
