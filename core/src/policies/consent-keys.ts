import { BootError } from "../errors.js";
import type { Profile, Subscription, SubscriptionState } from "../domain/profile.js";
import type { Channel } from "../ports/channel.js";

/**
 * Marketing consent is kept once per channel: a channel that declares `aliasOf` (kakao-friendtalk of kakao)
 * shares the consent of the channel it names. Records made under either id count for both, so a consent given
 * on `kakao` lets a `kakao-friendtalk` ad through and an opt-out on either (an unsubscribe link, a provider's
 * 080 report naming the alias) stops both. Without channels bound, every id is its own key.
 */
export class ConsentKeys {
  private readonly canonical = new Map<string, string>();
  private readonly members = new Map<string, string[]>();

  constructor(channels: readonly Channel[] = []) {
    const ids = new Set(channels.map((c) => c.id));
    const aliasOf = new Map(channels.filter((c) => c.aliasOf !== undefined).map((c) => [c.id, c.aliasOf!]));
    for (const [id, target] of aliasOf) {
      if (!ids.has(target)) throw new BootError("NUDGE_BAD_ALIAS", `channel "${id}" is an alias of "${target}", which is not registered`, { channel: id, aliasOf: target });
    }
    for (const id of ids) {
      let key = id;
      // Follows alias of alias; a loop ends where it started (seen).
      for (const seen = new Set([id]); aliasOf.has(key) && !seen.has(aliasOf.get(key)!); seen.add(key)) key = aliasOf.get(key)!;
      this.canonical.set(id, key);
      this.members.set(key, [...(this.members.get(key) ?? [key]), ...(key === id ? [] : [id])]);
    }
  }

  /** The id consent is kept under for this channel. */
  key(channel: string): string {
    return this.canonical.get(channel) ?? channel;
  }

  /** Every channel id whose records count for this channel's consent. */
  ids(channel: string): readonly string[] {
    return this.members.get(this.key(channel)) ?? [channel];
  }

  /** The latest state for the channel (and topic), across the channel and its aliases. */
  state(p: Profile, channel: string, topic?: string): SubscriptionState {
    return this.latest(p.subscriptions, channel, topic)?.state ?? "never_asked";
  }

  /** The latest record for the channel (and topic) across its aliases. */
  latest(subs: readonly Subscription[], channel: string, topic?: string): Subscription | undefined {
    const ids = this.ids(channel);
    let found: Subscription | undefined;
    for (const s of subs) {
      if (ids.includes(s.channel) && (s.topic ?? null) === (topic ?? null) && (!found || s.at >= found.at)) found = s;
    }
    return found;
  }

  /** ` (consent kept under "kakao")` for an alias, "" for a channel that is its own key. */
  note(channel: string): string {
    const key = this.key(channel);
    return key === channel ? "" : ` (consent kept under "${key}")`;
  }
}
