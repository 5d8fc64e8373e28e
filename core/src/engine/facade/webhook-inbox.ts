import { inject, injectable } from "tsyringe";
import type { DeliveryReport, WebhookRequest, WebhookResult } from "../../ports/channel.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { DeliveryReports } from "../dispatch/delivery-reports.js";
import { ChannelRegistryToken } from "../engine-tokens.js";

/** `nudge.webhooks`: provider callbacks (delivery reports, opt-outs), verified by the channel's provider and applied. */
@injectable()
export class WebhookInbox {
  constructor(
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(DeliveryReports) private readonly reports: DeliveryReports,
  ) {}

  /** Whether `channel` uses `provider` and takes webhooks at all. */
  accepts(channel: string, provider: string): boolean {
    const c = this.channels.get(channel);
    return c !== undefined && c.providers.includes(provider) && typeof c.parseWebhook === "function";
  }

  /** Verifies and applies one call. Throws WebhookSignatureError for a bad signature, ValidationError for a bad body, NotFoundError for no such webhook. */
  handle(channel: string, provider: string, request: WebhookRequest): Promise<WebhookResult & { applied: number }> {
    return this.reports.handle(channel, provider, request);
  }

  /** Applies a delivery report obtained some other way (a vendor export, a host's own poll); false when no message matches. */
  apply(report: DeliveryReport, channel: string): Promise<boolean> {
    return this.reports.apply(report, channel);
  }
}
