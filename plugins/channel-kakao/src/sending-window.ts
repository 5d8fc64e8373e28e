import { DateTime } from "luxon";
import type { SendingWindow } from "./config.js";

/**
 * The hours Brand Messages may go out, in the window's time zone (Asia/Seoul by default). luxon does the
 * zone arithmetic: Korea has no DST today, but a configured zone might.
 */
export class SendingWindowClock {
  private readonly startMin: number;
  private readonly endMin: number;

  constructor(readonly window: SendingWindow) {
    this.startMin = minutes(window.start);
    this.endMin = minutes(window.end);
  }

  /** True when `at` falls inside the allowed hours [start, end). */
  isOpen(at: number): boolean {
    const local = DateTime.fromMillis(at, { zone: this.window.timezone });
    const m = local.hour * 60 + local.minute;
    return this.startMin <= this.endMin ? m >= this.startMin && m < this.endMin : m >= this.startMin || m < this.endMin;
  }

  /** `at` when open, else the next opening (e.g. 08:00 KST). */
  nextOpen(at: number): number {
    if (this.isOpen(at)) return at;
    const local = DateTime.fromMillis(at, { zone: this.window.timezone });
    const [h, mi] = this.window.start.split(":").map(Number) as [number, number];
    let open = local.set({ hour: h, minute: mi, second: 0, millisecond: 0 });
    if (open.toMillis() <= at) open = open.plus({ days: 1 });
    return open.toMillis();
  }

  describe(): string {
    return `${this.window.start}–${this.window.end} ${this.window.timezone}`;
  }
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number) as [number, number];
  return h * 60 + m;
}
