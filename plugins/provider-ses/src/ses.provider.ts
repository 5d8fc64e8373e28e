import type { Clock, Logger, ProviderCall, SendResult, WebhookRequest, WebhookResult } from "@nudge/core";
import type { EmailPayload, EmailProvider } from "@nudge/channel-email";
import { SmtpProvider } from "@nudge/provider-smtp";
import type { SesConfig } from "./config.js";
import { mapSesError } from "./errors.js";
import { SesWebhook } from "./webhooks.js";

export { sesMessageId } from "@nudge/provider-smtp";

/** SES's ports with TLS from the first byte ("TLS Wrapper"); the others upgrade with STARTTLS. */
const TLS_WRAPPER_PORTS = new Set([465, 2465]);

/**
 * Amazon SES through its SMTP interface (https://docs.aws.amazon.com/ses/latest/dg/send-email-smtp.html),
 * on the SMTP provider: TLS is required on every connection (https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html),
 * connections are pooled from `init` to `close`. SES answers `250 Ok <message-id>`; that id is what its SNS
 * feedback names, so it is the provider message id. SES's SMTP interface takes no idempotency key: "none".
 * The configuration set travels in X-SES-CONFIGURATION-SET
 * (https://docs.aws.amazon.com/ses/latest/dg/using-configuration-sets-in-email.html).
 */
export class SesProvider implements EmailProvider {
  readonly id = "ses";
  readonly channel = "email" as const;
  readonly idempotency = "none" as const;
  /** Present only when SNS feedback is configured. */
  readonly parseWebhook?: (request: WebhookRequest) => Promise<WebhookResult>;
  private readonly smtp: SmtpProvider;

  constructor(config: SesConfig, clock: Clock, logger: Logger) {
    this.host = config.host ?? `email-smtp.${config.region}.amazonaws.com`;
    const smtp = {
      host: this.host,
      port: config.port,
      secure: TLS_WRAPPER_PORTS.has(config.port),
      requireTLS: true,
      auth: config.auth,
      pool: config.pool,
      tls: { rejectUnauthorized: true, minVersion: "TLSv1.2" as const, ...(config.ca ? { ca: config.ca } : {}) },
      connectionTimeoutMs: config.connectionTimeoutMs,
      socketTimeoutMs: config.socketTimeoutMs,
      verifyOnStart: config.verifyOnStart,
    };
    this.smtp = new SmtpProvider(smtp, logger, {
      id: "ses",
      label: "Amazon SES (SMTP interface)",
      mapError: mapSesError,
      ...(config.configurationSet ? { headers: { "X-SES-CONFIGURATION-SET": config.configurationSet } } : {}),
    });
    if (config.sns) {
      const webhook = new SesWebhook(config.sns, clock, logger);
      this.parseWebhook = (request) => webhook.parse(request);
    }
  }

  /** The SMTP endpoint of the configured region, unless another host is given. */
  readonly host: string;

  init(): Promise<void> {
    return this.smtp.init();
  }

  send(call: ProviderCall<EmailPayload>): Promise<SendResult> {
    return this.smtp.send(call);
  }

  close(): Promise<void> {
    return this.smtp.close();
  }
}
