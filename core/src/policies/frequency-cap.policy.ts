import type { OnCapped } from "../domain/message.js";
import type { Policy, PolicyContext, PolicyVerdict } from "../ports/policy.js";
import type { SendLimit } from "../ports/stores.js";
import type { FrequencyCap } from "./policies-config.js";
import { ALLOW } from "./allow.js";
import { LocalMinutes, localLabel, recipientZone } from "./recipient-zone.js";

/** limits() inputs and answer for one zone, kept while the inputs repeat (see limits). */
interface LastLimits {
  minute: number;
  marketing: boolean;
  channel: string;
  journeyId: string | null;
  limits: SendLimit[];
}

/**
 * Frequency caps: at most N messages per person per calendar day / week / month in the recipient's
 * zone, globally, per channel or per journey. Counting happens in the store's atomic claim (see
 * MessageStore.claimSend), not here: two concurrent sends of one person cannot both take the last slot.
 */
export class FrequencyCapPolicy implements Policy {
  readonly id = "frequency-cap";
  readonly order = 400;
  private readonly byId: Map<string, FrequencyCap>;
  private readonly local = new LocalMinutes();
  /** Per cap, then zone: the window start computed for the last minute seen. */
  private readonly starts = new Map<string, Map<string, { minute: number; since: number }>>();
  /** Per zone: the last answer of limits(). */
  private readonly last = new Map<string, LastLimits>();

  constructor(
    private readonly caps: FrequencyCap[],
    private readonly onCapped: OnCapped,
    private readonly workspaceZone: string,
  ) {
    this.byId = new Map(caps.map((c) => [c.id, c]));
  }

  evaluate(): PolicyVerdict {
    return ALLOW;
  }

  /**
   * The answer depends only on the zone, the minute (window starts move on minute boundaries, see
   * LocalMinutes), and the message's marketing flag, channel and journey; sends repeat those, so the last
   * answer per zone is kept and returned as it is (frozen, so the caller can keep it too).
   */
  limits({ message, channel, profile, now }: PolicyContext): SendLimit[] {
    const zone = recipientZone(profile, this.workspaceZone);
    const minute = now - (((now % 60_000) + 60_000) % 60_000);
    const last = this.last.get(zone);
    if (last !== undefined && last.minute === minute && last.marketing === message.marketing && last.channel === channel.id && last.journeyId === message.journeyId) {
      return last.limits;
    }
    const limits = this.compute(message.marketing, channel.id, message.journeyId, now, zone);
    if (last !== undefined) Object.assign(last, { minute, marketing: message.marketing, channel: channel.id, journeyId: message.journeyId, limits });
    else {
      if (this.last.size > 1_000) this.last.clear();
      this.last.set(zone, { minute, marketing: message.marketing, channel: channel.id, journeyId: message.journeyId, limits });
    }
    return limits;
  }

  private compute(marketing: boolean, channelId: string, messageJourney: string | null, now: number, zone: string): SendLimit[] {
    const out: SendLimit[] = [];
    for (const cap of this.caps) {
      if (cap.marketingOnly && !marketing) continue;
      if (cap.channel !== undefined && cap.channel !== channelId) continue;
      const journeyId = cap.journey === "*" ? messageJourney : (cap.journey ?? null);
      if (cap.journey !== undefined && (journeyId === null || journeyId !== messageJourney)) continue;
      const limit: SendLimit = { id: cap.id, max: cap.max, since: this.periodStart(cap, now, zone) };
      if (cap.channel !== undefined) limit.channel = cap.channel;
      if (journeyId !== null) limit.journeyId = journeyId;
      if (cap.marketingOnly) limit.marketing = true;
      out.push(Object.freeze(limit));
    }
    return Object.freeze(out) as SendLimit[];
  }

  onLimit(limit: SendLimit, count: number, { profile, now }: PolicyContext): PolicyVerdict {
    const cap = this.byId.get(limit.id);
    if (!cap) return { outcome: "suppress", reason: `frequency cap "${limit.id}" reached`, rule: limit.id, onCapped: this.onCapped };
    const onCapped = cap.onCapped ?? this.onCapped;
    const zone = recipientZone(profile, this.workspaceZone);
    const what = `${cap.marketingOnly ? "marketing " : ""}messages${cap.channel ? ` on ${cap.channel}` : " across channels"}${limit.journeyId ? ` in journey "${limit.journeyId}"` : ""}`;
    const window = cap.span === 1 ? `this calendar ${cap.per}` : `the last ${cap.span} calendar ${cap.per}s`;
    const reason = `frequency cap "${cap.id}": ${count} of ${cap.max} ${what} already sent ${window} (${zone})`;
    if (onCapped === "wait") {
      // The window moves at the next period boundary; the message re-checks then (and waits again if still capped).
      const until = this.local.at(now, zone).startOf(cap.per).plus({ [cap.per]: 1 }).toMillis();
      return { outcome: "defer", until, rule: cap.id, onCapped, reason: `${reason}; waits until ${localLabel(until, zone)}` };
    }
    return { outcome: "suppress", rule: cap.id, onCapped, reason: `${reason}; the journey ${onCapped === "exit" ? "lets the person go" : "moves on"}` };
  }

  /** Start of the cap's window; the same for a whole minute (see LocalMinutes), so it is remembered per minute. */
  private periodStart(cap: FrequencyCap, now: number, zone: string): number {
    const local = this.local.at(now, zone);
    const minute = local.toMillis();
    let byZone = this.starts.get(cap.id);
    if (!byZone) {
      byZone = new Map();
      this.starts.set(cap.id, byZone);
    }
    const last = byZone.get(zone);
    if (last !== undefined && last.minute === minute) return last.since;
    const since = local.startOf(cap.per).minus({ [cap.per]: cap.span - 1 }).toMillis();
    if (last !== undefined) {
      last.minute = minute;
      last.since = since;
    } else {
      if (byZone.size > 1_000) byZone.clear();
      byZone.set(zone, { minute, since });
    }
    return since;
  }
}
