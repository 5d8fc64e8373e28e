import { z } from "zod";
import { SandboxFailure } from "@nudge/core";

/** "news@acme.test" or "Acme <news@acme.test>"; the address part must be an e-mail. */
const Mailbox = z.string().trim().min(3).superRefine((value, ctx) => {
  const m = /^(?:(.*?)\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
  const address = m?.[2] ?? m?.[3];
  if (!address || !z.email().safeParse(address).success) {
    ctx.addIssue({ code: "custom", message: 'expected "address@domain" or "Name <address@domain>"' });
  }
});

/** Sender identity, given as a string or as its parts. */
export const Sender = z.union([Mailbox, z.object({ name: z.string().min(1).optional(), address: z.email() })]);
export type Sender = z.infer<typeof Sender>;

export const SmtpProviderConfig = z.object({
  type: z.literal("smtp"),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** true: TLS from the first byte (port 465). false: plain, upgraded with STARTTLS when offered. */
  secure: z.boolean().default(false),
  /** Refuse to send unless STARTTLS succeeds (for port 587 submission). */
  requireTLS: z.boolean().default(false),
  auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  /** Pooled connections (nodemailer's SMTP pool). `false` opens a connection per message. */
  pool: z
    .union([
      z.literal(false),
      z.object({
        maxConnections: z.number().int().min(1).max(100).default(5),
        maxMessages: z.number().int().min(1).default(100),
      }),
    ])
    .default({ maxConnections: 5, maxMessages: 100 }),
  tls: z
    .object({
      rejectUnauthorized: z.boolean().default(true),
      servername: z.string().optional(),
      minVersion: z.enum(["TLSv1.2", "TLSv1.3"]).default("TLSv1.2"),
      /** PEM bundle of extra trusted CAs (private relays). */
      ca: z.string().optional(),
    })
    .default({ rejectUnauthorized: true, minVersion: "TLSv1.2" }),
  /** EHLO name; defaults to the machine's host name. */
  name: z.string().optional(),
  connectionTimeoutMs: z.number().int().positive().default(10_000),
  socketTimeoutMs: z.number().int().positive().default(30_000),
  /** Check the connection and credentials when Nudge starts, so a wrong password fails at boot. */
  verifyOnStart: z.boolean().default(true),
  /** DKIM signing. RFC 8058 one-click unsubscribe needs a signature covering List-Unsubscribe(-Post). */
  dkim: z.object({ domainName: z.string().min(1), keySelector: z.string().min(1), privateKey: z.string().min(1) }).optional(),
});
export type SmtpProviderConfig = z.infer<typeof SmtpProviderConfig>;

export const SandboxEmailProviderConfig = z.object({
  type: z.literal("sandbox"),
  failFor: z.record(z.string(), SandboxFailure).default({}),
  failRate: z.number().min(0).max(1).default(0),
  failKind: SandboxFailure.default("transient"),
});

export const SesWebhookConfig = z.object({
  /** The SNS topics SES publishes bounces, complaints and deliveries to; anything else is refused. */
  topicArns: z.array(z.string().startsWith("arn:")).min(1),
  /** Verify the SNS signature against the certificate SNS names. Turn off only behind another check. */
  verifySignature: z.boolean().default(true),
  /** Which certificate (and subscribe) URLs are trusted: a regular expression over the whole URL. */
  trustedUrlPattern: z.string().default("^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/"),
  /** Confirm SNS subscriptions by fetching SubscribeURL; otherwise confirm them in the AWS console. */
  autoConfirm: z.boolean().default(false),
});
export type SesWebhookConfig = z.infer<typeof SesWebhookConfig>;

export const EmailConfig = z.object({
  /** The channel id journeys name. */
  id: z.string().min(1).default("email"),
  provider: z.discriminatedUnion("type", [SmtpProviderConfig, SandboxEmailProviderConfig]),
  /** The workspace's sender; each Nudge instance (workspace) has its own plugin config. */
  from: Sender,
  replyTo: Sender.optional(),
  /** An extra mailto: unsubscribe target in List-Unsubscribe (the https one-click link is always there). */
  unsubscribeMailto: z.email().optional(),
  /**
   * Adds a 1x1 open pixel (/o/:token) to HTML mail when the instance has link settings. `false` turns open
   * tracking off for the channel; a message can only opt out (`trackOpens: false` in its content).
   */
  trackOpens: z.boolean().default(true),
  /** The earlier name, refused rather than ignored so that `openPixel: false` cannot silently turn tracking on. */
  openPixel: z.never({ message: "renamed trackOpens (default true: set trackOpens: false to leave the open pixel out)" }).optional(),
  /** The domain of Message-ID headers; defaults to the sender's domain. */
  messageIdDomain: z.string().min(1).optional(),
  webhooks: z.object({ ses: SesWebhookConfig.optional() }).default({}),
});
export type EmailConfig = z.infer<typeof EmailConfig>;
export type EmailConfigInput = z.input<typeof EmailConfig>;

/** The address part of a sender. */
export function senderAddress(sender: Sender): string {
  if (typeof sender !== "string") return sender.address;
  const m = /<([^<>\s]+)>/.exec(sender);
  return (m?.[1] ?? sender).trim();
}

/** The sender as nodemailer takes it. */
export function senderOf(sender: Sender): string | { name: string; address: string } {
  if (typeof sender === "string") return sender;
  return sender.name ? { name: sender.name, address: sender.address } : sender.address;
}
