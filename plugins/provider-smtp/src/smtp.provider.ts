import nodemailer, { type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { ChannelUnavailableError, type ChannelError, type Logger, type ProviderCall, type SendResult } from "@nudge/core";
import type { EmailPayload, EmailProvider } from "@nudge/channel-email";
import type { SmtpConfig } from "./config.js";
import { mapSmtpError } from "./errors.js";

/** What a service built on SMTP (Amazon SES, another relay) changes of this provider. */
export interface SmtpProviderOptions {
  /** The provider id channels name; "smtp" by default. */
  id?: string;
  /** The service's name in log lines and the not-started error; "SMTP" by default. */
  label?: string;
  /** Maps a failure onto the core's errors; `mapSmtpError` by default. */
  mapError?: (e: unknown) => ChannelError;
  /** Headers added to every message (e.g. SES's X-SES-CONFIGURATION-SET). */
  headers?: Record<string, string>;
}

// nodemailer's default DKIM header list plus List-Unsubscribe-Post: RFC 8058 §4 requires the signature
// to cover both List-Unsubscribe headers (https://www.rfc-editor.org/rfc/rfc8058#section-4).
const DKIM_HEADERS =
  "From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:" +
  "Content-ID:Content-Description:In-Reply-To:References:List-Id:List-Unsubscribe:List-Unsubscribe-Post";

type SentInfo = SMTPTransport.SentMessageInfo | SMTPPool.SentMessageInfo;

/**
 * SMTP through nodemailer: pooled connections opened in `init`, closed in `close`. File and URL access
 * are off, so templated content can never make nodemailer read a local file or fetch a URL. SMTP has no
 * idempotency key (the Message-ID is a receiver's hint, not a relay's dedupe), hence "none".
 */
export class SmtpProvider implements EmailProvider {
  readonly id: string;
  readonly channel = "email" as const;
  readonly idempotency = "none" as const;
  private transporter: Transporter<SentInfo> | null = null;
  private readonly label: string;
  private readonly mapError: (e: unknown) => ChannelError;

  constructor(
    private readonly config: SmtpConfig,
    private readonly logger: Logger,
    private readonly options: SmtpProviderOptions = {},
  ) {
    this.id = options.id ?? "smtp";
    this.label = options.label ?? "SMTP";
    this.mapError = options.mapError ?? ((e) => mapSmtpError(e));
  }

  async init(): Promise<void> {
    const c = this.config;
    const base: SMTPTransport.Options = {
      host: c.host,
      port: c.port,
      secure: c.secure,
      requireTLS: c.requireTLS,
      ...(c.auth ? { auth: { user: c.auth.user, pass: c.auth.pass } } : {}),
      tls: {
        rejectUnauthorized: c.tls.rejectUnauthorized,
        minVersion: c.tls.minVersion,
        ...(c.tls.servername ? { servername: c.tls.servername } : {}),
        ...(c.tls.ca ? { ca: c.tls.ca } : {}),
      },
      ...(c.name ? { name: c.name } : {}),
      connectionTimeout: c.connectionTimeoutMs,
      greetingTimeout: c.connectionTimeoutMs,
      socketTimeout: c.socketTimeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
      ...(c.dkim ? { dkim: { ...c.dkim, headerFieldNames: DKIM_HEADERS } } : {}),
    };
    this.transporter =
      c.pool === false
        ? nodemailer.createTransport(base)
        : nodemailer.createTransport({ ...base, pool: true, maxConnections: c.pool.maxConnections, maxMessages: c.pool.maxMessages } as SMTPPool.Options);
    if (c.verifyOnStart) {
      try {
        await this.transporter.verify();
      } catch (e) {
        throw this.mapError(e);
      }
    }
    this.logger.info({ host: c.host, port: c.port, pooled: c.pool !== false }, `${this.label} transport ready`);
  }

  async send(call: ProviderCall<EmailPayload>): Promise<SendResult> {
    if (!this.transporter) throw new ChannelUnavailableError(`the ${this.label} transport is not started (call nudge.start())`, { notSent: true });
    let info: SentInfo;
    try {
      info = await this.transporter.sendMail(toNodemailer(call.payload, call.to, this.options.headers));
    } catch (e) {
      throw this.mapError(e);
    }
    return {
      providerMessageId: providerMessageId(info.response, info.messageId),
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
}

/**
 * The payload as nodemailer's message options. List-Unsubscribe is written as given (folded only at
 * whitespace): re-encoding its `<url>, <mailto:...>` list would break RFC 2369 parsing.
 */
export function toNodemailer(mail: EmailPayload, to: string, extra: Record<string, string> = {}): nodemailer.SendMailOptions {
  const headers = Object.fromEntries(
    Object.entries({ ...mail.headers, ...extra }).map(([name, value]) => [name, name.toLowerCase() === "list-unsubscribe" ? { prepared: true, foldLines: true, value } : value]),
  );
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

/**
 * The id a delivery report will name. Amazon SES rewrites Message-ID and answers `250 Ok <ses-id>`,
 * the id its SNS notifications carry as `mail.messageId`
 * (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html); other servers' reports
 * name the Message-ID header, kept without its angle brackets.
 */
export function providerMessageId(response: string, messageId: string): string {
  return sesMessageId(response) ?? messageId.replace(/^<|>$/g, "");
}

/** The message id in SES's `250 Ok <id>` reply (https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html). */
export function sesMessageId(response: string): string | undefined {
  return /^250 Ok ([0-9a-f]{16}-[0-9a-f-]+-[0-9a-f]{6})$/i.exec(response.trim())?.[1];
}
