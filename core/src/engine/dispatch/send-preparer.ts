import { inject, injectable } from "tsyringe";
import { NudgeError, ValidationError } from "../../errors.js";
import type { Message } from "../../domain/message.js";
import type { Profile } from "../../domain/profile.js";
import type { Prepared, SendContext } from "../../ports/channel.js";
import type { Clock } from "../../ports/clock.js";
import type { PolicyContext } from "../../ports/policy.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken } from "../engine-tokens.js";
import { PolicyRunner, type PolicyPass } from "./policy-runner.js";
import { primaryProvider, settled, type Ready, type TryOutcome } from "./send-ready.js";
import { SendOutcomes } from "./send-outcomes.js";
import { Verdicts } from "./verdicts.js";

/**
 * Everything a try does before the claim: the channel, the person's address on it, the content schema,
 * the policies, then the channel's own checks and price. A message that cannot go on this channel is
 * recorded as such ("next"); one a policy stops is settled ("done").
 */
@injectable()
export class SendPreparer {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(PolicyRunner) private readonly policies: PolicyRunner,
    @inject(Verdicts) private readonly verdicts: Verdicts,
    @inject(SendOutcomes) private readonly outcomes: SendOutcomes,
    @inject(Tokens.Clock) private readonly clock: Clock,
  ) {}

  /** Everything before the claim; synchronous unless a policy or a failure needs a promise. */
  prepare(message: Message, profile: Profile): Ready | Promise<Ready | TryOutcome> {
    const id = message.channel;
    const channel = this.channels.get(id);
    if (!channel) return this.outcomes.failed(message, id, "none", "failed", { errorCode: "NUDGE_UNKNOWN_CHANNEL", error: `channel "${id}" is not registered` });
    const address = channel.address(profile);
    if (!address) {
      return this.outcomes.failed(message, id, primaryProvider(channel), "unreachable", { errorCode: "NUDGE_RECIPIENT_UNREACHABLE", error: "no usable address on this channel" });
    }
    message.recipient = address;
    const parsed = channel.contentSchema.safeParse((message.content ?? {})[id]);
    if (!parsed.success) {
      const err = ValidationError.fromZod(`${id} content`, parsed.error);
      return this.outcomes.failed(message, id, primaryProvider(channel), "failed", { errorCode: err.code, error: err.message });
    }
    const content = parsed.data as Record<string, unknown>;
    const policy: PolicyContext = { workspace: this.ws, message, profile, channel, content, now: this.clock.now() };
    const pass = this.policies.evaluate(message, policy);
    return pass instanceof Promise ? pass.then<Ready | TryOutcome>((p) => this.afterPolicies(message, policy, p)) : this.afterPolicies(message, policy, pass);
  }

  private afterPolicies(message: Message, policy: PolicyContext, pass: PolicyPass): Ready | Promise<TryOutcome> {
    if (!pass.go) return this.verdicts.apply(message, pass.policy, pass.verdict).then((stored) => settled(message, stored, "done"));
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
      return this.outcomes.failed(message, id, primaryProvider(channel), "failed", { errorCode: err.code, error: err.message });
    }
    return { channel, address: message.recipient!, content, policy, limits: pass.limits, sendLimits: pass.sendLimits, prepared, send };
  }
}
