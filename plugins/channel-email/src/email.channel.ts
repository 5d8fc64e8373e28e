import {
  NotFoundError,
  usableContact,
  type Channel,
  type DeliveryReport,
  type OutboundMessage,
  type PollQuery,
  type Prepared,
  type Profile,
  type ProviderSet,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from "@nudge/core";
import { EmailContent } from "./content.js";
import type { EmailComposer } from "./email-composer.js";
import type { EmailProvider } from "./email-provider.js";

/**
 * The e-mail channel: the person's usable address, content composed into a message (unsubscribe
 * headers, tracked links, text part), sent through its providers in failover order. Webhooks and polls
 * go to the provider they name.
 */
export class EmailChannel implements Channel<EmailContent> {
  readonly contentSchema = EmailContent;
  /** Liquid escapes every output in the HTML body (`| raw` opts out); subject and text stay plain. */
  readonly htmlFields: readonly (keyof EmailContent)[] = ["html"];
  readonly providers: readonly string[];
  /** Whether a provider can be polled; known once the providers are bound (`init`). */
  private pollable = false;

  constructor(
    readonly id: string,
    private readonly set: ProviderSet<EmailProvider>,
    private readonly composer: EmailComposer,
  ) {
    this.providers = set.ids;
  }

  /** Present only when a provider can be polled, so delivery upkeep spends no polls on e-mail otherwise. */
  get poll(): ((query: PollQuery) => Promise<DeliveryReport | null>) | undefined {
    return this.pollable ? (query) => this.pollProvider(query) : undefined;
  }

  address(profile: Profile): string | null {
    return usableContact(profile, "email");
  }

  prepare(): Prepared {
    return { messageType: "email" };
  }

  async send(message: OutboundMessage<EmailContent>): Promise<SendResult> {
    const payload = this.composer.compose(message.content, message.to, message.context);
    const result = await this.set.send({ to: message.to, payload, messageType: "email", context: message.context });
    // The Message-ID header is kept on the attempt whichever provider took the message.
    return { messageType: "email", ...result, details: { messageId: payload.messageId, ...result.details } };
  }

  parseWebhook(request: WebhookRequest, provider: string): Promise<WebhookResult> {
    const p = this.set.get(provider);
    if (!p?.parseWebhook) return Promise.reject(new NotFoundError("webhook", `${this.id}/${provider}`));
    return p.parseWebhook(request);
  }

  /** Called from the plugin's `init`, when the providers are bound. */
  init(): void {
    this.pollable = this.set.list().some((p) => typeof p.poll === "function");
  }

  private async pollProvider(query: PollQuery): Promise<DeliveryReport | null> {
    const p = this.set.get(query.provider);
    return p?.poll ? p.poll(query.providerMessageId, query.messageType) : null;
  }
}
