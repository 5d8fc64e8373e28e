import { inject, injectable } from "tsyringe";
import { ChannelDeferredError, ChannelError, NudgeError, RateLimitedError, RecipientUnreachableError, ValidationError } from "../../errors.js";
import type { Cost, Message } from "../../domain/message.js";
import type { Profile } from "../../domain/profile.js";
import type { Channel, Prepared, SendContext, SendResult } from "../../ports/channel.js";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { PolicyContext } from "../../ports/policy.js";
import type { MessageStore, SendClaim, SendLimit } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import type { Hooks } from "../hooks.js";
import { ChannelRegistryToken, EngineTokens } from "../engine-tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ProfileService } from "../profiles/profile-service.js";
import { backoffDelay } from "./backoff.js";
import { DuplicateDraft, MessageLog } from "./message-log.js";
import { PolicyRunner, type OwnedLimit, type PolicyPass } from "./policy-runner.js";
import { ProviderLimiter } from "./provider-limiter.js";
import { Verdicts } from "./verdicts.js";

/** How one channel try ended: the message is settled or parked ("done"), or the next channel is tried. */
export type TryOutcome = "done" | "next";

interface Ready {
  channel: Channel;
  address: string;
  content: Record<string, unknown>;
  policy: PolicyContext;
  limits: OwnedLimit[];
  sendLimits: SendLimit[];
  prepared: Prepared | undefined;
  send: SendContext;
}

/**
 * One try of a message on its current channel: address, content schema, policies, price, then (in the
 * provider's rate-limited queue) the atomic claim and the send, and what the answer means: sent,
 * retried later with backoff, or failed for good so the chain moves on.
 */
@injectable()
export class ChannelSender {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(PolicyRunner) private readonly policies: PolicyRunner,
    @inject(ProviderLimiter) private readonly limiter: ProviderLimiter,
    @inject(MessageLog) private readonly log: MessageLog,
    @inject(Verdicts) private readonly verdicts: Verdicts,
    @inject(ProfileService) private readonly profiles: ProfileService,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(EngineTokens.Hooks) private readonly hooks: Hooks,
  ) {}

  async try(message: Message, profile: Profile): Promise<TryOutcome> {
    const prepared = this.prepare(message, profile);
    const r = prepared instanceof Promise ? await prepared : prepared;
    if (r === "next" || r === "done") return r;
    const before = message.status;
    message.status = "sending";
    message.updatedAt = this.clock.now();
    const claim = this.log.isDraft(message) ? await this.claimDraft(message, r.sendLimits) : await this.messages.claimSend(message, r.sendLimits);
    if (!claim.claimed) {
      if (claim.reason === "status") {
        // Another worker holds or finished this message: leave it to them.
        await this.log.reload(message);
        return "done";
      }
      const refused = this.policies.refused(r.limits, claim.limitId, claim.count, { ...r.policy, now: this.clock.now() });
      message.status = before;
      await this.verdicts.apply(message, refused.policy, refused.verdict);
      return "done";
    }
    this.hooks.emit("message.updated", message);
    // Claimed first, then queued for a provider slot: the slot covers the provider call only, the scarce
    // resource; storage writes never hold it. "sending" thus means "in the provider's queue or call".
    let result: SendResult;
    try {
      result = await this.limiter.run(r.channel, () => {
        // The context prepare() saw, brought to the time of the call (one object per try, not two).
        r.send.now = this.clock.now();
        return r.channel.send({ to: r.address, content: r.content, context: r.send });
      });
    } catch (error) {
      return this.sendFailed(message, r, error);
    }
    this.recordSent(message, r, result);
    await this.log.finish(message, result.status === "delivered" ? "delivered" : "sent");
    if (result.invalidContacts) for (const dead of result.invalidContacts) await this.profiles.invalidateContact(profile.id, dead.key, dead.reason);
    return "done";
  }

  /** A draft's claim: inserted and claimed in one write (see MessageStore.insertClaimed). */
  private async claimDraft(message: Message, limits: SendLimit[]): Promise<SendClaim> {
    const claim = await this.messages.insertClaimed!(message, limits);
    if (claim.claimed) this.log.stored(message);
    else if (claim.reason === "duplicate") throw new DuplicateDraft(claim.message);
    return claim;
  }

  /** Everything before the claim; synchronous unless a policy or a failure needs a promise. */
  private prepare(message: Message, profile: Profile): Ready | Promise<Ready | TryOutcome> {
    const id = message.channel;
    const channel = this.channels.get(id);
    if (!channel) return this.failed(message, id, "none", "failed", { errorCode: "NUDGE_UNKNOWN_CHANNEL", error: `channel "${id}" is not registered` });
    const address = channel.address(profile);
    if (!address) {
      return this.failed(message, id, primary(channel), "unreachable", { errorCode: "NUDGE_RECIPIENT_UNREACHABLE", error: "no usable address on this channel" });
    }
    message.recipient = address;
    const parsed = channel.contentSchema.safeParse((message.content ?? {})[id]);
    if (!parsed.success) {
      const err = ValidationError.fromZod(`${id} content`, parsed.error);
      return this.failed(message, id, primary(channel), "failed", { errorCode: err.code, error: err.message });
    }
    const content = parsed.data as Record<string, unknown>;
    const policy: PolicyContext = { workspace: this.ws, message, profile, channel, content, now: this.clock.now() };
    const pass = this.policies.evaluate(message, policy);
    return pass instanceof Promise ? pass.then<Ready | TryOutcome>((p) => this.afterPolicies(message, policy, p)) : this.afterPolicies(message, policy, pass);
  }

  private afterPolicies(message: Message, policy: PolicyContext, pass: PolicyPass): Ready | Promise<TryOutcome> {
    if (!pass.go) return this.verdicts.apply(message, pass.policy, pass.verdict).then(() => "done" as const);
    const { channel, content, profile } = policy;
    const id = channel.id;
    const send: SendContext = {
      workspace: this.ws,
      channel: id,
      messageId: message.id,
      // Stable across retries of this message on this channel: providers that dedupe drop a repeat.
      idempotencyKey: `${message.idempotencyKey}:${id}`,
      attempt: message.attempts.length + 1,
      marketing: message.marketing,
      profile,
      now: policy.now,
    };
    let prepared: Prepared | undefined;
    try {
      prepared = channel.prepare?.(content, send);
    } catch (e) {
      const err = e instanceof NudgeError ? e : new ValidationError(`${id} content`, [{ path: "content", message: String(e) }]);
      return this.failed(message, id, primary(channel), "failed", { errorCode: err.code, error: err.message });
    }
    return { channel, address: message.recipient!, content, policy, limits: pass.limits, sendLimits: pass.sendLimits, prepared, send };
  }

  /** The provider's answer on the message (saved by the caller, in the same async step as the send). */
  private recordSent(message: Message, r: Ready, res: SendResult): void {
    const cost = res.cost ?? r.prepared?.cost;
    const messageType = res.messageType ?? r.prepared?.messageType;
    // Only the fields the provider answered, set on the recorded attempt one by one: no spread of optional objects per send.
    const d = this.log.attempt(message, r.channel.id, res.provider ?? primary(r.channel), res.status ?? "sent");
    if (res.providerMessageId !== undefined) d.providerMessageId = res.providerMessageId;
    if (res.providerCode !== undefined) d.providerCode = res.providerCode;
    if (cost !== undefined) d.cost = cost;
    if (messageType !== undefined) d.messageType = messageType;
    if (res.details !== undefined) d.details = res.details;
    message.sentAt = this.clock.now();
  }

  private async sendFailed(message: Message, r: Ready, e: unknown): Promise<TryOutcome> {
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
      for (const dead of err.invalidContacts) await this.profiles.invalidateContact(r.send.profile.id, dead.key, dead.reason);
    }
    const tries = message.attempts.filter((a) => a.channel === r.channel.id).length + 1;
    if (err.retryable && tries < this.options.dispatch.retry.maxAttemptsPerChannel) {
      this.log.attempt(message, r.channel.id, primary(r.channel), "retrying", base);
      const now = this.clock.now();
      const delay =
        err instanceof RateLimitedError && err.retryAfterMs !== undefined
          ? err.retryAfterMs
          : err instanceof ChannelDeferredError && err.notBefore !== undefined
            ? Math.max(0, err.notBefore - now)
            : backoffDelay(tries, this.options.dispatch.retry);
      await this.log.scheduleResume(message, now + delay, "queued");
      return "done";
    }
    this.logger.info({ messageId: message.id, channel: r.channel.id, code: err.code }, "send failed; trying the next channel if any");
    return this.failed(message, r.channel.id, primary(r.channel), e instanceof RecipientUnreachableError ? "unreachable" : "failed", base);
  }

  /** Records a failed try and saves it, so the stored copy can be claimed for the next channel. */
  private async failed(message: Message, channel: string, provider: string, status: "failed" | "unreachable", extra: Record<string, unknown>): Promise<"next"> {
    this.log.attempt(message, channel, provider, status, extra);
    message.status = "queued";
    await this.log.save(message);
    return "next";
  }
}

/** The provider a try is recorded under when no provider answered: the channel's first. */
function primary(channel: Channel): string {
  return channel.providers[0] ?? "none";
}
