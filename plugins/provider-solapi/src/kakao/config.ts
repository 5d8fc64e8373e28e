import { z } from "zod";

const Secret = z.string().min(1);

/**
 * Solapi's own SMS fallback for AlimTalk (대체발송: `kakaoOptions.disableSms: false`, sent `from` the registered
 * number). Off by default, and sent explicitly off (`disableSms: true`): Nudge's fallback chain covers failures
 * known at send time, and Solapi's would duplicate it.
 */
export const SolapiKakaoResend = z.object({
  enabled: z.boolean().default(false),
  /** Registered SMS sender number (발신번호 사전등록) the fallback goes out from (the message's `from`). */
  sendNo: z.string().optional(),
});

/** Solapi messages v4 for Kakao, every request signed with HMAC-SHA256 (solapi-auth.ts). */
export const SolapiKakaoConfig = z.object({
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
  resend: SolapiKakaoResend.default({ enabled: false }),
  /** Per-request timeout. */
  timeoutMs: z.number().int().positive().default(15_000),
});
export type SolapiKakaoConfig = z.output<typeof SolapiKakaoConfig>;
export type SolapiKakaoConfigInput = z.input<typeof SolapiKakaoConfig>;
