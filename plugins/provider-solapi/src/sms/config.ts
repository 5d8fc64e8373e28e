import { z } from "zod";

const Secret = z.string().min(1);

/** Solapi messages v4, every request signed with HMAC-SHA256 (solapi-auth.ts). */
export const SolapiSmsConfig = z.object({
  apiKey: Secret,
  apiSecret: Secret,
  baseUrl: z.url().default("https://api.solapi.com"),
  /**
   * Solapi documents no signature scheme for its delivery-report webhooks (the webhook API's optional `secret`
   * is undescribed; see webhooks.ts): register the webhook URL with `?token=<this value>` and reports without
   * it are refused.
   */
  webhookToken: Secret.optional(),
  /** Per-request timeout. */
  timeoutMs: z.number().int().positive().default(15_000),
});
export type SolapiSmsConfig = z.output<typeof SolapiSmsConfig>;
export type SolapiSmsConfigInput = z.input<typeof SolapiSmsConfig>;
