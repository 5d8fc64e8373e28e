import { inject, injectable } from "tsyringe";
import type { Message } from "../../domain/message.js";
import type { Profile } from "../../domain/profile.js";
import type { SendResult } from "../../ports/channel.js";
import type { Clock } from "../../ports/clock.js";
import type { InsertClaim, MessageStore, SendLimit } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { MessageLog } from "./message-log.js";
import { PolicyRunner } from "./policy-runner.js";
import { ProviderLimiter } from "./provider-limiter.js";
import { settled, type TryOutcome } from "./send-ready.js";
import { SendOutcomes } from "./send-outcomes.js";
import { SendPreparer } from "./send-preparer.js";
import { Verdicts } from "./verdicts.js";

export type { TryOutcome } from "./send-ready.js";

/**
 * One try of a message on its current channel: prepared (SendPreparer: address, content, policies,
 * price), then the atomic claim with its limits, then the provider call in the provider's rate-limited
 * queue, and what the answer means (SendOutcomes).
 */
@injectable()
export class ChannelSender {
  constructor(
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(SendPreparer) private readonly preparer: SendPreparer,
    @inject(PolicyRunner) private readonly policies: PolicyRunner,
    @inject(ProviderLimiter) private readonly limiter: ProviderLimiter,
    @inject(MessageLog) private readonly log: MessageLog,
    @inject(Verdicts) private readonly verdicts: Verdicts,
    @inject(SendOutcomes) private readonly outcomes: SendOutcomes,
    @inject(Tokens.Clock) private readonly clock: Clock,
  ) {}

  async try(message: Message, profile: Profile): Promise<TryOutcome> {
    const prepared = this.preparer.prepare(message, profile);
    const r = prepared instanceof Promise ? await prepared : prepared;
    if (typeof r === "string" || "taken" in r) return r;
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
      if (claim.reason === "duplicate") return { taken: claim.message };
      const refused = this.policies.refused(r.limits, claim.limitId, claim.count, { ...r.policy, now: this.clock.now() });
      message.status = before;
      return settled(message, await this.verdicts.apply(message, refused.policy, refused.verdict), "done");
    }
    this.log.announce(message);
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
      return this.outcomes.sendFailed(message, r, error);
    }
    this.outcomes.recordSent(message, r, result);
    await this.log.finish(message, result.status === "delivered" ? "delivered" : "sent");
    if (result.invalidContacts) await this.outcomes.invalidate(profile.id, result.invalidContacts);
    return "done";
  }

  /** A draft's claim: inserted and claimed in one write (see MessageStore.insertClaimed). */
  private async claimDraft(message: Message, limits: SendLimit[]): Promise<InsertClaim> {
    const claim = await this.messages.insertClaimed!(message, limits);
    if (claim.claimed) this.log.stored(message);
    return claim;
  }
}
