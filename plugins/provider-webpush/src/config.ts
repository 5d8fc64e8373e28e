import { z } from "zod";

const base64url = (bytes: number, what: string) =>
  z.string().refine((s) => /^[A-Za-z0-9_-]+$/.test(s) && Buffer.from(s, "base64url").length === bytes, `expected the ${bytes}-byte ${what}, base64url-encoded`);

export const WebPushConfig = z.object({
  vapid: z.object({
    /** A mailto: or https: contact for the push service operator. */
    subject: z.string().regex(/^(mailto:|https:\/\/)/, "a mailto: or https: URL"),
    publicKey: base64url(65, "uncompressed P-256 public key"),
    privateKey: base64url(32, "P-256 private key"),
  }),
  /** TTL when the content gives none (seconds). */
  defaultTtlSeconds: z.number().int().min(0).max(2_419_200).default(86_400),
  /** Accept plain-http subscription endpoints (local testing only). */
  allowInsecureEndpoints: z.boolean().default(false),
  /** Per request. */
  timeoutMs: z.number().int().positive().default(10_000),
});
export type WebPushConfig = z.output<typeof WebPushConfig>;
export type WebPushConfigInput = z.input<typeof WebPushConfig>;
