import { z } from "zod";

const Pem = z.string().includes("PRIVATE KEY", { message: "expected a PEM private key (-----BEGIN PRIVATE KEY-----)" });

export const ApnsConfig = z.object({
  /** The 10-character Team ID (the JWT's `iss`). */
  teamId: z.string().regex(/^[A-Z0-9]{10}$/, "a 10-character Team ID"),
  /** The 10-character Key ID of the .p8 signing key (the JWT's `kid`). */
  keyId: z.string().regex(/^[A-Z0-9]{10}$/, "a 10-character Key ID"),
  /** The .p8 key's PEM text. */
  privateKey: Pem,
  /** The app's bundle id, sent as apns-topic. */
  topic: z.string().min(1),
  environment: z.enum(["production", "development"]).default("production"),
  /** Overrides the environment's host (tests, proxies). */
  baseUrl: z.url().optional(),
  /** Age at which the provider token is replaced: Apple wants 20–60 minutes. */
  tokenRefreshMinutes: z.number().int().min(20).max(59).default(50),
  /** Per request. */
  timeoutMs: z.number().int().positive().default(10_000),
});
export type ApnsConfig = z.output<typeof ApnsConfig>;
export type ApnsConfigInput = z.input<typeof ApnsConfig>;
