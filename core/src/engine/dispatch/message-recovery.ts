import { inject, injectable } from "tsyringe";
import type { Message } from "../../domain/message.js";
import type { Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { MessageStore, ProfileStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { EngineTokens } from "../engine-tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ChannelSender } from "./channel-sender.js";
import { MessageLog } from "./message-log.js";
import { SendTimeRecheck } from "./send-time-recheck.js";

const DONE = new Set<Message["status"]>(["sent", "delivered", "failed", "suppressed", "aborted"]);

/**
 * A message that is not on its first walk: resumed after a deferral or a retry's wait (re-checked
 * first), found under a key already taken, or left in "sending" by a crash. Walks the rest of its chain.
 */
@injectable()
export class MessageRecovery {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.ProfileStore) private readonly profileStore: ProfileStore,
    @inject(SendTimeRecheck) private readonly recheck: SendTimeRecheck,
    @inject(ChannelSender) private readonly sender: ChannelSender,
    @inject(MessageLog) private readonly log: MessageLog,
    @inject(Tokens.Clock) private readonly clock: Clock,
  ) {}

  /** Continues a deferred or retrying message (timer "message.resume"), re-checking it first. */
  async resume(messageId: string): Promise<Message | null> {
    const message = await this.messages.get(this.ws, messageId);
    if (!message || DONE.has(message.status)) return message;
    const now = this.clock.now();
    if (message.status === "sending") return this.recover(message, null, now);
    const profile = await this.profileStore.get(this.ws, message.profileId);
    if (!profile) {
      this.log.decide(message, "profile", "drop", "the person was deleted");
      return this.log.finish(message, "suppressed");
    }
    const stale = await this.recheck.check(message, now);
    if (stale) {
      this.log.decide(message, stale.policy, "drop", stale.reason);
      return this.log.finish(message, "suppressed");
    }
    return this.deliver(message, profile);
  }

  /**
   * Settles a message a crash left in "sending" once its lease is over: failed, with the reason, and never
   * resent (the provider may have accepted it). Returns whether it settled it.
   */
  async settleInterrupted(message: Message): Promise<boolean> {
    const now = this.clock.now();
    if (message.status !== "sending" || now - message.updatedAt < this.options.dispatch.sendingLeaseMs) return false;
    await this.recover(message, null, now);
    return true;
  }

  /** A message found already recorded under the key: finished, parked, in flight, or interrupted. */
  async recover(message: Message, profile: Profile | null, now: number): Promise<Message> {
    if (DONE.has(message.status) || message.status === "deferred") return message;
    if (message.status === "sending") {
      if (now - message.updatedAt < this.options.dispatch.sendingLeaseMs) return message; // in flight elsewhere
      // The provider may have accepted it before the crash: a paid message is never sent twice.
      this.log.decide(message, "dispatch", "drop", "interrupted while sending; not resent to avoid a duplicate");
      return this.log.finish(message, "failed");
    }
    // Queued: being rendered or between channels in the first caller (written within the lease), or
    // waiting for its retry timer. Continued here only when its caller died with it.
    if (message.content === null || (message.notBefore !== null && message.notBefore > now) || !profile) return message;
    if (now - message.updatedAt < this.options.dispatch.sendingLeaseMs) return message;
    return this.deliver(message, profile);
  }

  /** Tries the chain from the message's current channel; the first channel that settles it ends the walk. */
  async deliver(message: Message, profile: Profile): Promise<Message> {
    const start = Math.max(0, message.channels.indexOf(message.channel));
    for (let i = start; i < message.channels.length; i++) {
      message.channel = message.channels[i]!;
      const outcome = await this.sender.try(message, profile);
      if (outcome === "done") return message;
      // Only a draft's first write can find its key taken, and a message recovered is stored already.
      if (outcome !== "next") return outcome.taken;
    }
    return this.exhausted(message);
  }

  /** No channel of the chain settled the message. */
  exhausted(message: Message): Promise<Message> {
    const tried = message.attempts.map((a) => `${a.channel}: ${a.status}${a.errorCode ? ` (${a.errorCode})` : ""}`);
    this.log.decide(message, "fallback", "drop", `no channel of the chain could deliver it (${[...new Set(tried)].join("; ")})`);
    return this.log.finish(message, "failed");
  }
}
