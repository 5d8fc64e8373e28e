import type { Profile } from "../domain/profile.js";
import type { Message, OnCapped } from "../domain/message.js";
import type { SendLimit } from "./stores.js";
import type { Channel } from "./channel.js";

export interface PolicyContext {
  workspace: string;
  message: Message;
  profile: Profile;
  channel: Channel;
  /** Rendered content for this channel. */
  content: Record<string, unknown>;
  now: number;
}

/** Optional detail recorded with a decision: the rule that decided, and for caps what a journey should do. */
export interface VerdictDetail {
  rule?: string;
  onCapped?: OnCapped;
}

export type PolicyVerdict =
  /** A reason on "allow" is recorded too (e.g. "night-time consent given"), so an unusual send is explained. */
  | ({ outcome: "allow"; reason?: string } & VerdictDetail)
  | ({ outcome: "flag"; reason: string } & VerdictDetail)
  | ({ outcome: "defer"; until: number; reason: string } & VerdictDetail)
  | ({ outcome: "suppress"; reason: string } & VerdictDetail)
  | ({ outcome: "drop"; reason: string } & VerdictDetail);

/** One small rule every message passes through before a provider sees it. */
export interface Policy {
  /** Recorded on the message with each decision. */
  readonly id: string;
  /** Lower runs first. Core policies use multiples of 100. */
  readonly order: number;
  evaluate(context: PolicyContext): Promise<PolicyVerdict> | PolicyVerdict;
  /**
   * Counting limits (frequency caps) the store enforces atomically when it claims the message for
   * sending: checking them here would race with concurrent sends of the same person.
   */
  limits?(context: PolicyContext): SendLimit[];
  /**
   * Called once every plugin has registered, with every channel: a policy checks its configuration against them
   * (throwing PluginConfigError naming the channel and field) and learns what it needs (aliases ...).
   */
  bindChannels?(channels: readonly Channel[]): void;
  /** The verdict when the store refused one of this policy's limits (`count` messages already counted). */
  onLimit?(limit: SendLimit, count: number, context: PolicyContext): PolicyVerdict;
}
