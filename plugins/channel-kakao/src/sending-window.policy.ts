import { DateTime } from "luxon";
import type { Policy, PolicyContext, PolicyVerdict } from "@nudge/core";
import type { SendingWindowClock } from "./sending-window.js";

/**
 * Defers a Brand Message (or legacy Friendtalk) due outside Kakao's sending hours to the next opening,
 * so Kakao never refuses it with 3022. AlimTalk passes: it carries no night restriction. The general Korean
 * advertising rules (21:00–08:00 consent, "(광고)", re-confirmation) are core policies, not this one.
 */
export class KakaoSendingWindowPolicy implements Policy {
  readonly id = "kakao-sending-window";
  readonly order = 400;

  constructor(
    private readonly channels: ReadonlySet<string>,
    private readonly window: SendingWindowClock,
  ) {}

  evaluate({ channel, content, now }: PolicyContext): PolicyVerdict {
    if (!this.channels.has(channel.id)) return { outcome: "allow" };
    if (content["kind"] === "alimtalk") return { outcome: "allow" };
    if (this.window.isOpen(now)) return { outcome: "allow" };
    const until = this.window.nextOpen(now);
    const local = DateTime.fromMillis(until, { zone: this.window.window.timezone }).toFormat("yyyy-MM-dd HH:mm");
    return { outcome: "defer", until, reason: `Brand Messages may only be sent ${this.window.describe()}; deferred to ${local}` };
  }
}
