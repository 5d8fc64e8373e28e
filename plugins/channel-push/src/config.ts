import { z } from "zod";
import { SandboxFailure } from "@nudge/core";

const Pem = z.string().includes("PRIVATE KEY", { message: "expected a PEM private key (-----BEGIN PRIVATE KEY-----)" });

/** The fields of a Google service-account key file that are used; the whole file may be passed. */
export const ServiceAccount = z.looseObject({
  client_email: z.email(),
  private_key: Pem,
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
  token_uri: z.url().optional(),
});

export const FcmConfig = z.object({
  /** Defaults to the service account's project_id. */
  projectId: z.string().min(1).optional(),
  serviceAccount: ServiceAccount,
  /** OAuth2 token endpoint; defaults to the key file's token_uri, then Google's. */
  tokenUrl: z.url().optional(),
  baseUrl: z.url().default("https://fcm.googleapis.com"),
});
export type FcmConfig = z.infer<typeof FcmConfig>;

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
});
export type ApnsConfig = z.infer<typeof ApnsConfig>;

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
});
export type WebPushConfig = z.infer<typeof WebPushConfig>;

export const PushConfig = z
  .object({
    /** The channel id journeys name. */
    id: z.string().min(1).default("push"),
    fcm: FcmConfig.optional(),
    apns: ApnsConfig.optional(),
    webpush: WebPushConfig.optional(),
    /** The sandbox mode: every device "receives" into the instance's outbox; no vendor is called. */
    sandbox: z
      .object({
        failFor: z.record(z.string(), SandboxFailure).default({}),
        failRate: z.number().min(0).max(1).default(0),
        failKind: SandboxFailure.default("transient"),
      })
      .optional(),
    /** Which provider takes iOS tokens: APNs (when configured) or FCM (apps using the Firebase SDK). */
    iosVia: z.enum(["apns", "fcm"]).optional(),
    /** Per vendor request. */
    timeoutMs: z.number().int().positive().default(10_000),
    /** At most this many of a person's devices per message (newest first). */
    maxDevices: z.number().int().min(1).max(100).default(10),
  })
  .superRefine((c, ctx) => {
    const vendors = [c.fcm && "fcm", c.apns && "apns", c.webpush && "webpush"].filter(Boolean);
    if (c.sandbox && vendors.length > 0) ctx.addIssue({ code: "custom", path: ["sandbox"], message: `sandbox replaces the vendors; remove sandbox or ${vendors.join(", ")}` });
    if (!c.sandbox && vendors.length === 0) ctx.addIssue({ code: "custom", path: ["fcm"], message: "configure at least one of fcm, apns, webpush (or sandbox)" });
    if (c.fcm && !c.fcm.projectId && !c.fcm.serviceAccount.project_id) ctx.addIssue({ code: "custom", path: ["fcm", "projectId"], message: "required when the service account has no project_id" });
    if (c.iosVia && !c.sandbox && !c[c.iosVia]) ctx.addIssue({ code: "custom", path: ["iosVia"], message: `iosVia is "${c.iosVia}" but ${c.iosVia} is not configured` });
  });
export type PushConfig = z.infer<typeof PushConfig>;
export type PushConfigInput = z.input<typeof PushConfig>;
