import { z } from "zod";

const Secret = z.string().min(1);

/** NHN Cloud SMS API v3.0: the app key in the path, the secret key in `X-Secret-Key`. */
export const NhnCloudSmsConfig = z.object({
  appKey: Secret,
  secretKey: Secret,
  baseUrl: z.url().default("https://sms.api.nhncloudservice.com"),
  /** The signature entered in the console's webhook settings; sent back as `X-Toast-Webhook-Signature`. */
  webhookSignature: Secret.optional(),
  /** Per-request timeout. */
  timeoutMs: z.number().int().positive().default(15_000),
});
export type NhnCloudSmsConfig = z.output<typeof NhnCloudSmsConfig>;
export type NhnCloudSmsConfigInput = z.input<typeof NhnCloudSmsConfig>;
