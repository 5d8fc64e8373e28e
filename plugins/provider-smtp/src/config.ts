import { z } from "zod";

/** The SMTP server (a relay, Postfix, an e-mail service's SMTP endpoint) and how to talk to it. */
export const SmtpConfig = z.object({
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
export type SmtpConfig = z.infer<typeof SmtpConfig>;
export type SmtpConfigInput = z.input<typeof SmtpConfig>;
