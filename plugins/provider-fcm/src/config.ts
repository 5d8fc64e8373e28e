import { z } from "zod";

const Pem = z.string().includes("PRIVATE KEY", { message: "expected a PEM private key (-----BEGIN PRIVATE KEY-----)" });

/** The fields of a Google service-account key file that are used; the whole file may be passed. */
export const ServiceAccount = z.looseObject({
  client_email: z.email(),
  private_key: Pem,
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
  token_uri: z.url().optional(),
});

export const FcmConfig = z
  .object({
    /** Defaults to the service account's project_id. */
    projectId: z.string().min(1).optional(),
    serviceAccount: ServiceAccount,
    /** OAuth2 token endpoint; defaults to the key file's token_uri, then Google's. */
    tokenUrl: z.url().optional(),
    baseUrl: z.url().default("https://fcm.googleapis.com"),
    /**
     * The platforms whose devices FCM takes. FCM reaches Android, Apple and web apps that use the Firebase SDK
     * (https://firebase.google.com/docs/cloud-messaging); narrow it (e.g. ["android"]) to keep FCM off iOS entirely.
     */
    platforms: z.array(z.enum(["android", "ios", "web"])).min(1).default(["android", "ios", "web"]),
    /** Per request (the token exchange and the send). */
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .superRefine((c, ctx) => {
    if (!c.projectId && !c.serviceAccount.project_id) ctx.addIssue({ code: "custom", path: ["projectId"], message: "required when the service account has no project_id" });
  });
export type FcmConfig = z.output<typeof FcmConfig>;
export type FcmConfigInput = z.input<typeof FcmConfig>;
