import type { Policy, PolicyContext, PolicyVerdict } from "../ports/policy.js";
import { ALLOW } from "./allow.js";
import { DailyWindow } from "./daily-window.js";
import type { QuietHoursRule } from "./policies-config.js";
import { LocalMinutes, localLabel, recipientZone } from "./recipient-zone.js";

/**
 * Quiet hours per workspace and channel, in the recipient's time zone (or a rule's fixed zone): a
 * message due inside a window waits until it ends, or is dropped when the rule says so.
 */
export class QuietHoursPolicy implements Policy {
  readonly id = "quiet-hours";
  readonly order = 300;
  private readonly rules: { rule: QuietHoursRule; window: DailyWindow }[];
  private readonly local = new LocalMinutes();

  constructor(
    rules: QuietHoursRule[],
    private readonly workspaceZone: string,
  ) {
    this.rules = rules.map((rule) => ({ rule, window: new DailyWindow(rule.from, rule.to) }));
  }

  evaluate({ message, profile, channel, now }: PolicyContext): PolicyVerdict {
    for (const { rule, window } of this.rules) {
      if (rule.marketingOnly && !message.marketing) continue;
      if (rule.channels && !rule.channels.includes(channel.id)) continue;
      const zone = rule.timezone ?? recipientZone(profile, this.workspaceZone);
      const local = this.local.at(now, zone);
      if (!window.contains(local)) continue;
      const scope = rule.channels ? `on ${rule.channels.join(", ")}` : "on every channel";
      if (rule.action === "drop") {
        return { outcome: "drop", rule: rule.id, reason: `quiet hours ${window} (${zone}) ${scope}: dropped, it is ${local.toFormat("HH:mm")} there` };
      }
      const until = window.endAfter(local).toMillis();
      return { outcome: "defer", until, rule: rule.id, reason: `quiet hours ${window} (${zone}) ${scope}: it is ${local.toFormat("HH:mm")} there; deferred to ${localLabel(until, zone)}` };
    }
    return ALLOW;
  }
}
