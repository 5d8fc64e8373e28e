import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { ChannelUnavailableError, type Clock, type Logger, type ProviderCall, type SendResult, type WebhookRequest, type WebhookResult } from "@nudge/core";
import type { EmailPayload, EmailProvider } from "@nudge/channel-email";
import type { SesConfig } from "./config.js";
import { mapSesError } from "./errors.js";
import { SesWebhook } from "./webhooks.js";

type SentInfo = SMTPTransport.SentMessageInfo | SMTPPool.SentMessageInfo;

/** SES's ports with TLS from the first byte ("TLS Wrapper"); the others upgrade with STARTTLS. */
const TLS_WRAPPER_PORTS = new Set([465, 2465]);

/**
 * Amazon SES through its SMTP interface (https://docs.aws.amazon.com/ses/latest/dg/send-email-smtp.html),
 * with nodemailer: TLS is required on every connection (https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html),
 * connections are pooled from `init` to `close`. SES answers `250 Ok <message-id>`; that id is what its SNS
 * feedback names, so it is the provider message id. SES's SMTP interface takes no idempotency key: "none".
 */
export class SesProvider implements EmailProvider {
  readonly id = "ses";
  readonly channel = "email" as const;
  readonly idempotency = "none" as const;
  /** Present only when SNS feedback is configured. */
  readonly parseWebhook?: (request: WebhookRequest) => Promise<WebhookResult>;
  private transporter: Transporter<SentInfo> | null = null;

  constructor(
    private readonly config: SesConfig,
    clock: Clock,
    private readonly logger: Logger,
  ) {
    if (config.sns) {
      const webhook = new SesWebhook(config.sns, clock, logger);
      this.parseWebhook = (request) => webhook.parse(request);
    }
  }

  /** The SMTP endpoint of the configured region, unless another host is given. */
  get host(): string {
    return this.config.host ?? `email-smtp.${this.config.region}.amazonaws.com`;
  }

  async init(): Promise<void> {
    const c = this.config;
    const base: SMTPTransport.Options = {
      host: this.host,
      port: c.port,
      secure: TLS_WRAPPER_PORTS.has(c.port),
      requireTLS: true,
      auth: { user: c.auth.user, pass: c.auth.pass },
      tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ...(c.ca ? { ca: c.ca } : {}) },
      connectionTimeout: c.connectionTimeoutMs,
      greetingTimeout: c.connectionTimeoutMs,
      socketTimeout: c.socketTimeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    };
    this.transporter =
      c.pool === false
        ? nodemailer.createTransport(base)
        : nodemailer.createTransport({ ...base, pool: true, maxConnections: c.pool.maxConnections, maxMessages: c.pool.maxMessages } as SMTPPool.Options);
    if (c.verifyOnStart) {
      try {
        await this.transporter.verify();
      } catch (e) {
        throw mapSesError(e);
      }
    }
    this.logger.info({ host: this.host, port: c.port, pooled: c.pool !== false }, "Amazon SES (SMTP interface) ready");
  }

  async send(call: ProviderCall<EmailPayload>): Promise<SendResult> {
    if (!this.transporter) throw new ChannelUnavailableError("the SES transport is not started (call nudge.start())", { notSent: true });
    let info: SentInfo;
    try {
      info = await this.transporter.sendMail(this.message(call.payload, call.to));
    } catch (e) {
      throw mapSesError(e);
    }
    return {
      providerMessageId: sesMessageId(info.response) ?? info.messageId.replace(/^<|>$/g, ""),
      status: "sent",
      messageType: "email",
      details: { messageId: info.messageId, response: info.response },
    };
  }

  async close(): Promise<void> {
    const t = this.transporter;
    this.transporter = null;
    t?.close();
  }

  /**
   * The payload as nodemailer's message options. List-Unsubscribe is written as given (folded only at
   * whitespace): re-encoding its `<url>, <mailto:...>` list would break RFC 2369 parsing. The configuration
   * set travels in X-SES-CONFIGURATION-SET (https://docs.aws.amazon.com/ses/latest/dg/using-configuration-sets-in-email.html).
   */
  private message(mail: EmailPayload, to: string): SendMailOptions {
    const headers: SendMailOptions["headers"] = Object.fromEntries(
      Object.entries(mail.headers).map(([name, value]) => [name, name.toLowerCase() === "list-unsubscribe" ? { prepared: true, foldLines: true, value } : value]),
    );
    if (this.config.configurationSet) headers["X-SES-CONFIGURATION-SET"] = this.config.configurationSet;
    return {
      from: mail.from,
      to,
      ...(mail.replyTo === undefined ? {} : { replyTo: mail.replyTo }),
      subject: mail.subject,
      text: mail.text,
      ...(mail.html === undefined ? {} : { html: mail.html }),
      messageId: mail.messageId,
      date: mail.date,
      headers,
    };
  }
}

/**
 * The message id in SES's `250 Ok <id>` reply (https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html),
 * the id SNS notifications carry as `mail.messageId`; SES rewrites the Message-ID header, so only this id matches.
 */
export function sesMessageId(response: string): string | undefined {
  return /^250 Ok ([0-9a-f]{16}-[0-9a-f-]+-[0-9a-f]{6})$/i.exec(response.trim())?.[1];
}
