import nodemailer, { type Transporter } from "nodemailer";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";
import type SMTPTransport from "nodemailer/lib/smtp-transport/index.js";
import { ChannelUnavailableError, type Logger, type SendContext, type SendResult } from "@nudge/core";
import type { SmtpProviderConfig } from "../config.js";
import type { ComposedEmail } from "../email-composer.js";
import { mapSmtpError } from "../errors.js";
import type { EmailTransport } from "./email-transport.js";

// nodemailer's default DKIM header list plus List-Unsubscribe-Post: RFC 8058 §4 requires the signature
// to cover both List-Unsubscribe headers (https://www.rfc-editor.org/rfc/rfc8058#section-4).
const DKIM_HEADERS =
  "From:Sender:Reply-To:Subject:Date:Message-ID:To:Cc:MIME-Version:Content-Type:Content-Transfer-Encoding:" +
  "Content-ID:Content-Description:In-Reply-To:References:List-Id:List-Unsubscribe:List-Unsubscribe-Post";

type SentInfo = SMTPTransport.SentMessageInfo | SMTPPool.SentMessageInfo;

/**
 * SMTP through nodemailer: pooled connections opened in `init`, closed in `close`. File and URL access
 * are off, so templated content can never make nodemailer read a local file or fetch a URL.
 */
export class SmtpTransport implements EmailTransport {
  readonly name = "smtp";
  private transporter: Transporter<SentInfo> | null = null;

  constructor(
    private readonly config: SmtpProviderConfig,
    private readonly logger: Logger,
  ) {}

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
        throw mapSmtpError(e);
      }
    }
    this.logger.info({ host: c.host, port: c.port, pooled: c.pool !== false }, "SMTP transport ready");
  }

  async send(mail: ComposedEmail, _context: SendContext): Promise<SendResult> {
    if (!this.transporter) throw new ChannelUnavailableError("the SMTP transport is not started (call nudge.start())");
    let info: SentInfo;
    try {
      info = await this.transporter.sendMail({
        from: mail.from,
        to: mail.to,
        ...(mail.replyTo === undefined ? {} : { replyTo: mail.replyTo }),
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
        messageId: mail.messageId,
        date: mail.date,
        headers: mail.headers,
      });
    } catch (e) {
      throw mapSmtpError(e);
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
 * The id a delivery report will name. Amazon SES rewrites Message-ID and answers `250 Ok <ses-id>`,
 * the id its SNS notifications carry as `mail.messageId`
 * (https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html); other servers' reports
 * name the Message-ID header, kept without its angle brackets.
 */
export function providerMessageId(response: string, messageId: string): string {
  const ses = /^250 Ok ([0-9a-f]{16}-[0-9a-f-]+-[0-9a-f]{6})$/i.exec(response.trim());
  return ses?.[1] ?? messageId.replace(/^<|>$/g, "");
}
