import { DateTime } from "luxon";
import type { Profile } from "../domain/profile.js";
import type { Channel } from "../ports/channel.js";
import type { Policy, PolicyContext, PolicyVerdict } from "../ports/policy.js";
import { ALLOW } from "./allow.js";
import { adTextFields } from "./ad-text-fields.js";
import { ConsentKeys } from "./consent-keys.js";
import { DailyWindow } from "./daily-window.js";
import type { KoreanAdRulesConfig } from "./policies-config.js";
import { isKoreanNumber, LocalMinutes, localLabel, recipientZone } from "./recipient-zone.js";

/** The label the Act requires, exactly: "[광고]" or "(광 고)" do not count. */
export const AD_LABEL = "(광고)";
const LAW = "정보통신망법 §50";

/**
 * Korean advertising rules (Act on Promotion of Information and Communications Network Utilization,
 * art. 50, and its decree) for the marketing messages of the configured channels: the rendered text
 * must carry the "(광고)" label, the sender and a free opt-out line (checked, never rewritten: a missing
 * one suppresses the message); no advertising 21:00–08:00 without separate night-time consent (deferred
 * or dropped); consent older than two years is flagged for re-confirmation.
 * The night rule reads the Korean clock for a Korean number (+82) whatever zone the profile says: the
 * law protects recipients in Korea. Other recipients get the same window in their own zone.
 */
export class KoreanAdRulesPolicy implements Policy {
  readonly id = "korean-ad-rules";
  readonly order = 200;
  private readonly night: DailyWindow;
  private readonly optOut: RegExp;
  private readonly minutes = new LocalMinutes();
  /** The content field each listed channel's text is read from, checked against the channels at boot. */
  private fields = new Map<string, string>();
  private keys = new ConsentKeys();

  constructor(
    private readonly config: KoreanAdRulesConfig,
    private readonly workspaceZone: string,
  ) {
    this.night = new DailyWindow(config.night.from, config.night.to);
    this.optOut = new RegExp(config.optOutPattern);
  }

  /** Throws PluginConfigError for a listed channel that is not registered or lacks the configured field. */
  bindChannels(channels: readonly Channel[]): void {
    this.fields = adTextFields(this.config.channels, channels);
    this.keys = new ConsentKeys(channels);
  }

  evaluate({ message, profile, channel, content, now }: PolicyContext): PolicyVerdict {
    if (!message.marketing) return ALLOW;
    const rules = this.config.channels[channel.id];
    if (!rules) return ALLOW;

    const field = this.fields.get(channel.id) ?? rules.field ?? "text";
    const raw = content[field];
    const text = typeof raw === "string" ? raw : "";
    const refuse = (rule: string, what: string): PolicyVerdict => ({
      outcome: "suppress",
      rule,
      reason: `advertising on ${channel.id} must ${what} (${LAW}); the rendered "${field}" does not: not sent, content is never rewritten`,
    });
    if (rules.label && !text.trimStart().startsWith(AD_LABEL)) return refuse("ad-label", `start with "${AD_LABEL}"`);
    const sender = this.config.sender;
    if (rules.sender && sender) {
      if (!text.includes(sender.name)) return refuse("ad-sender", `name the sender "${sender.name}"`);
      if (!digits(text).includes(digits(sender.contact))) return refuse("ad-sender", `give the sender's contact ${sender.contact}`);
    }
    if (rules.optOut && !this.optOut.test(text)) return refuse("ad-opt-out", "carry a free opt-out line (무료수신거부 ...)");

    const stale = this.staleConsent(profile, channel.id, message.topic, now);
    if (stale && this.config.staleConsent === "suppress") return { outcome: "suppress", rule: "consent-age", reason: stale };

    const korean = isKoreanNumber(message.recipient) || isKoreanNumber(profile.contacts.phone);
    const zone = korean ? this.config.zone : recipientZone(profile, this.workspaceZone);
    const local = this.minutes.at(now, zone);
    if (this.night.contains(local)) {
      const at = `it is ${local.toFormat("HH:mm")} ${zone}${korean ? " (Korean number: Korea time)" : ""}`;
      if (!profile.nightAdConsent?.granted) {
        const base = `advertising ${this.night} needs separate night-time consent (${LAW}③); ${at}`;
        if (this.config.night.action === "drop") return { outcome: "drop", rule: "night-window", reason: `${base}: dropped` };
        const until = this.night.endAfter(local).toMillis();
        return { outcome: "defer", rule: "night-window", until, reason: `${base}: deferred to ${localLabel(until, zone)}` };
      }
      if (!stale) return { outcome: "allow", rule: "night-window", reason: `sent ${this.night} with separate night-time consent (${profile.nightAdConsent.source}); ${at}` };
    }
    if (stale) return { outcome: "flag", rule: "consent-age", reason: stale };
    return ALLOW;
  }

  /** The latest record for the channel (and topic, across its aliases) when it is a consent. */
  private subscribed(profile: Profile, channel: string, topic: string | undefined) {
    const found = this.keys.latest(profile.subscriptions, channel, topic);
    return found?.state === "subscribed" ? found : undefined;
  }

  /** A reason when the marketing consent behind this message is older than allowed, else null. */
  private staleConsent(profile: Profile, channel: string, topic: string | null, now: number): string | null {
    if (this.keys.state(profile, channel) !== "subscribed") return null;
    const consent = this.subscribed(profile, channel, topic ?? undefined) ?? this.subscribed(profile, channel, undefined);
    if (!consent) return null;
    const due = DateTime.fromMillis(consent.at, { zone: "utc" }).plus({ days: this.config.consentMaxAgeDays });
    if (due.toMillis() > now) return null;
    return `marketing consent for ${this.keys.key(channel)} dates from ${DateTime.fromMillis(consent.at, { zone: "utc" }).toISODate()} (${consent.source}): older than ${this.config.consentMaxAgeDays} days, it needs re-confirmation (${LAW}⑧, decree §62-3)`;
  }
}


function digits(s: string): string {
  return s.replace(/\D/g, "");
}
