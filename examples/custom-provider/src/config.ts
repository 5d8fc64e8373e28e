import { z } from "zod";

const Secret = z.string().min(1);

/**
 * Aligo (알리고) SMS API: the API key and the account id travel in every form body (`key`, `user_id`).
 * The host passes them in (e.g. from its own environment); the plugin never reads process.env.
 */
export const AligoSmsConfig = z.object({
  /** The API key issued in Aligo's console (연동형 API 신청/인증). */
  apiKey: Secret,
  /** The Aligo account id the key belongs to. */
  userId: Secret,
  baseUrl: z.url().default("https://apis.aligo.in"),
  /** Sends `testmode_yn=Y`: Aligo answers as usual but delivers nothing (연동테스트). */
  testMode: z.boolean().default(false),
  /** Per-request timeout. */
  timeoutMs: z.number().int().positive().default(15_000),
});
export type AligoSmsConfig = z.output<typeof AligoSmsConfig>;
export type AligoSmsConfigInput = z.input<typeof AligoSmsConfig>;
