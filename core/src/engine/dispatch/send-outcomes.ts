import { inject, injectable } from "tsyringe";
import { ChannelDeferredError, ChannelError, NudgeError, RateLimitedError, RecipientUnreachableError } from "../../errors.js";
import type { Cost, Message } from "../../domain/message.js";
import type { SendResult } from "../../ports/channel.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import { Tokens } from "../../tokens.js";
import { EngineTokens } from "../engine-tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ProfileService } from "../profiles/profile-service.js";
import { backoffDelay } from "./backoff.js";
import { MessageLog } from "./message-log.js";
import { primaryProvider, settled, type Ready, type TryOutcome } from "./send-ready.js";

/**
 * What a provider's answer means for the message: sent (recorded on its attempt), retried later with
 * backoff, or failed for good on this channel so the chain moves on; dead contact points are marked.
 */
@injectable()
export class SendOutcomes {
  constructor(
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(MessageLog) private readonly log: MessageLog,
    @inject(ProfileService) private readonly profiles: ProfileService,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  /** The provider's answer on the message (saved by the caller, in the same async step as the send). */
  recordSent(message: Message, r: Ready, res: SendResult): void {
    const cost = res.cost ?? r.prepared?.cost;
    const messageType = res.messageType ?? r.prepared?.messageType;
    // Only the fields the provider answered, set on the recorded attempt one by one: no spread of optional objects per send.
    const d = this.log.attempt(message, r.channel.id, res.provider ?? primaryProvider(r.channel), res.status ?? "sent");
    if (res.providerMessageId !== undefined) d.providerMessageId = res.providerMessageId;
    if (res.providerCode !== undefined) d.providerCode = res.providerCode;
    if (cost !== undefined) d.cost = cost;
    if (messageType !== undefined) d.messageType = messageType;
    if (res.details !== undefined) d.details = res.details;
    message.sentAt = this.clock.now();
  }

  /** Marks the contact points a provider declared dead, so they are not used again. */
  async invalidate(profileId: string, dead: readonly { key: string; reason: string }[]): Promise<void> {
    for (const d of dead) await this.profiles.invalidateContact(profileId, d.key, d.reason);
  }

  async sendFailed(message: Message, r: Ready, e: unknown): Promise<TryOutcome> {
    const err = e instanceof NudgeError ? e : new NudgeError("NUDGE_CHANNEL_ERROR", e instanceof Error ? e.message : String(e), { cause: e });
    const providerCode = (err as { providerCode?: string }).providerCode;
    // A refused send is not billed: record a zero in the provider's currency so every attempt shows its cost.
    const zero: Cost | undefined = r.prepared?.cost ? { amount: 0, currency: r.prepared.cost.currency } : undefined;
    const base = {
      errorCode: err.code,
      error: err.message,
      ...(providerCode === undefined ? {} : { providerCode }),
      ...(zero === undefined ? {} : { cost: zero }),
      ...(r.prepared?.messageType === undefined ? {} : { messageType: r.prepared.messageType }),
    };
    if (err instanceof ChannelError) {
      await this.invalidate(r.send.profile.id, err.invalidContacts);
    }
    const tries = message.attempts.filter((a) => a.channel === r.channel.id).length + 1;
    if (err.retryable && tries < this.options.dispatch.retry.maxAttemptsPerChannel) {
      this.log.attempt(message, r.channel.id, primaryProvider(r.channel), "retrying", base);
      const now = this.clock.now();
      const delay =
        err instanceof RateLimitedError && err.retryAfterMs !== undefined
          ? err.retryAfterMs
          : err instanceof ChannelDeferredError && err.notBefore !== undefined
            ? Math.max(0, err.notBefore - now)
            : backoffDelay(tries, this.options.dispatch.retry);
      return settled(message, await this.log.scheduleResume(message, now + delay, "queued"), "done");
    }
    this.logger.info({ messageId: message.id, channel: r.channel.id, code: err.code }, "send failed; trying the next channel if any");
    return this.failed(message, r.channel.id, primaryProvider(r.channel), e instanceof RecipientUnreachableError ? "unreachable" : "failed", base);
  }

  /** Records a failed try and saves it, so the stored copy can be claimed for the next channel. */
  async failed(message: Message, channel: string, provider: string, status: "failed" | "unreachable", extra: Record<string, unknown>): Promise<TryOutcome> {
    this.log.attempt(message, channel, provider, status, extra);
    message.status = "queued";
    return settled(message, await this.log.save(message), "next");
  }
}
