import { z } from "zod";

/** How SES feedback (bounces, complaints, deliveries) reaches Nudge: SNS notifications over HTTPS. */
export const SnsConfig = z.object({
  /** The SNS topics SES publishes bounces, complaints and deliveries to; anything else is refused. */
  topicArns: z.array(z.string().startsWith("arn:")).min(1),
  /** Verify the SNS signature against the certificate SNS names. Turn off only behind another check. */
  verifySignature: z.boolean().default(true),
  /** Which certificate (and subscribe) URLs are trusted: a regular expression over the whole URL. */
  trustedUrlPattern: z.string().default("^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/"),
  /** Confirm SNS subscriptions by fetching SubscribeURL; otherwise confirm them in the AWS console. */
  autoConfirm: z.boolean().default(false),
});
export type SnsConfig = z.infer<typeof SnsConfig>;

/**
 * Amazon SES through its SMTP interface
 * (https://docs.aws.amazon.com/ses/latest/dg/send-email-smtp.html): the region's SMTP endpoint, SMTP
 * credentials, and optionally the SNS topics its feedback is published to.
 */
export const SesConfig = z.object({
  /** The SES region, e.g. "ap-northeast-2": the endpoint is email-smtp.<region>.amazonaws.com. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as "ap-northeast-2"'),
  /**
   * SES SMTP credentials (https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html): an SMTP user
   * name and password, not an IAM access key's secret.
   */
  auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }),
  /** Another host for the SES SMTP interface: a VPC interface endpoint, a FIPS endpoint, or a test server. */
  host: z.string().min(1).optional(),
  /**
   * 587 (the default), 25 or 2587 upgrade with STARTTLS; 465 or 2465 use TLS from the first byte
   * (https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html). TLS is required either way.
   */
  port: z.number().int().min(1).max(65535).default(587),
  /** PEM bundle of extra trusted CAs, for a TLS-inspecting egress proxy or a test server. */
  ca: z.string().optional(),
  /** Sent as X-SES-CONFIGURATION-SET, so SES applies that configuration set's event publishing. */
  configurationSet: z.string().min(1).optional(),
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
  connectionTimeoutMs: z.number().int().positive().default(10_000),
  socketTimeoutMs: z.number().int().positive().default(30_000),
  /** Check the connection and credentials when Nudge starts, so a wrong password fails at boot. */
  verifyOnStart: z.boolean().default(true),
  /** SES feedback through SNS; without it the provider takes no webhooks. */
  sns: SnsConfig.optional(),
});
export type SesConfig = z.infer<typeof SesConfig>;
export type SesConfigInput = z.input<typeof SesConfig>;
