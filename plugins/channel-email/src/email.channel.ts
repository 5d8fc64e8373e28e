import { usableContact, type Channel, type OutboundMessage, type Prepared, type Profile, type SendResult, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { EmailContent } from "./content.js";
import type { EmailComposer } from "./email-composer.js";
import type { EmailTransport } from "./transports/email-transport.js";
import type { SesWebhook } from "./webhooks.js";

/**
 * The e-mail channel: the person's usable address, content composed into a message (unsubscribe
 * headers, tracked links, text part), sent by the configured transport; SES feedback when configured.
 */
export class EmailChannel implements Channel<EmailContent> {
  readonly contentSchema = EmailContent;
  readonly provider: string;
  /** Present only when a webhook provider (SES through SNS) is configured. */
  readonly parseWebhook?: (request: WebhookRequest) => Promise<WebhookResult>;

  constructor(
    readonly id: string,
    private readonly transport: EmailTransport,
    private readonly composer: EmailComposer,
    ses: SesWebhook | null,
  ) {
    this.provider = transport.name;
    if (ses) this.parseWebhook = (request) => ses.parse(request);
  }

  address(profile: Profile): string | null {
    return usableContact(profile, "email");
  }

  prepare(): Prepared {
    return { messageType: "email" };
  }

  send(message: OutboundMessage<EmailContent>): Promise<SendResult> {
    return this.transport.send(this.composer.compose(message.content, message.to, message.context), message.context);
  }

  init(): Promise<void> {
    return this.transport.init();
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
