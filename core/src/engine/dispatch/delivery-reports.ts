import { inject, injectable } from "tsyringe";
import { NotFoundError } from "../../errors.js";
import type { Message } from "../../domain/message.js";
import type { DeliveryReport, WebhookRequest, WebhookResult } from "../../ports/channel.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { MessageStore, ProfileStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken, EngineTokens } from "../engine-tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ProfileService } from "../profiles/profile-service.js";
import { MessageLog } from "./message-log.js";

/**
 * The feedback loop: a provider's webhook, verified and parsed by its channel, moves messages from sent
 * to delivered or failed (the provider's own code kept), unsubscribes people who opted out at the
 * provider (080 numbers, complaints), and marks dead contact points so they are not used again.
 */
@injectable()
export class DeliveryReports {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.ProfileStore) private readonly profileStore: ProfileStore,
    @inject(ProfileService) private readonly profiles: ProfileService,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(MessageLog) private readonly log: MessageLog,
  ) {}

  /**
   * Verifies and applies one webhook call of a channel's provider. Throws WebhookSignatureError for a
   * bad signature, ValidationError for a bad body, NotFoundError for a channel or provider that takes none.
   */
  async handle(channelId: string, providerId: string, request: WebhookRequest): Promise<WebhookResult & { applied: number }> {
    const channel = this.channels.get(channelId);
    if (!channel?.parseWebhook || !channel.providers.includes(providerId)) throw new NotFoundError("webhook", `${channelId}/${providerId}`);
    const result = await channel.parseWebhook(request, providerId);
    let applied = 0;
    for (const r of result.reports) if (await this.apply(r, channelId)) applied++;
    for (const c of result.contacts ?? []) {
      const kind = c.address.includes("@") ? "email" : "phone";
      for (const p of await this.profileStore.findByContact(this.ws, kind, c.address)) {
        if (c.type === "unsubscribe") await this.profiles.setSubscription(p.id, { channel: channelId, state: "unsubscribed", source: `provider:${providerId}` });
        else await this.profiles.invalidateContact(p.id, kind, c.reason ?? "reported invalid by the provider");
        applied++;
      }
    }
    return { ...result, applied };
  }

  /** Applies one report; returns false when no message matches it. */
  async apply(report: DeliveryReport, channelId: string): Promise<boolean> {
    const message = await this.messages.findByProviderMessageId(this.ws, report.providerMessageId);
    if (!message) {
      this.logger.info({ providerMessageId: report.providerMessageId, channel: channelId }, "delivery report for an unknown message");
      return false;
    }
    const attempt = [...message.attempts].reverse().find((a) => a.providerMessageId === report.providerMessageId);
    if (attempt) {
      attempt.status = report.status;
      if (report.providerCode !== undefined) attempt.providerCode = report.providerCode;
      if (report.reason !== undefined) attempt.error = report.reason;
      if (report.details) attempt.details = { ...attempt.details, ...report.details };
    }
    const next: Message["status"] = report.status === "delivered" ? "delivered" : report.status === "failed" ? "failed" : message.status;
    // A late "sent" never moves a delivered message back.
    if (!(message.status === "delivered" && next !== "failed")) message.status = next;
    const fallback = report.status === "failed" ? this.nextChannel(message, attempt?.channel ?? channelId) : null;
    if (fallback) {
      // The provider accepted it, then could not deliver: one logical message, so the chain goes on.
      this.log.decide(message, "fallback", "allow", `${message.channel} reported it undelivered (${report.providerCode ?? "no code"}); trying ${fallback}`);
      message.channel = fallback;
      await this.log.scheduleResume(message, this.clock.now(), "queued");
    } else {
      await this.log.save(message);
    }
    if (report.status === "failed" && report.invalidateContact) {
      const key = attempt?.channel === "push" || message.channel === "push" ? `push:${message.recipient ?? ""}` : message.recipient?.includes("@") ? "email" : "phone";
      await this.profiles.invalidateContact(message.profileId, key, report.reason ?? report.providerCode ?? "permanent failure");
    }
    return true;
  }

  /** The channel after `failed` in the chain, when the failed attempt was the message's latest. */
  private nextChannel(message: Message, failed: string): string | null {
    if (!this.options.dispatch.fallbackOnFailedReport || message.channel !== failed) return null;
    const i = message.channels.indexOf(failed);
    return i >= 0 && i < message.channels.length - 1 ? message.channels[i + 1]! : null;
  }
}
