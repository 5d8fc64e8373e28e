import type { DateTime } from "luxon";

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:mm"; throws on a malformed value (schemas validate it first). */
function minutesOf(hhmm: string): number {
  const m = HHMM.exec(hhmm);
  if (!m) throw new Error(`"${hhmm}" is not a HH:mm time`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * A window of local time repeated every day, such as 21:00–08:00 (it may wrap midnight). Works on
 * luxon DateTimes already in the zone that matters, so DST days are handled by luxon.
 */
export class DailyWindow {
  static readonly pattern = HHMM;
  private readonly from: number;
  private readonly to: number;

  constructor(
    readonly start: string,
    readonly end: string,
  ) {
    this.from = minutesOf(start);
    this.to = minutesOf(end);
  }

  contains(local: DateTime): boolean {
    const m = local.hour * 60 + local.minute;
    return this.from < this.to ? m >= this.from && m < this.to : m >= this.from || m < this.to;
  }

  /** The first moment at or after `local` when the window ends (its `end` time, that day or the next). */
  endAfter(local: DateTime): DateTime {
    const at = (d: DateTime) => d.set({ hour: Math.floor(this.to / 60), minute: this.to % 60, second: 0, millisecond: 0 });
    const today = at(local);
    return today > local ? today : at(local.plus({ days: 1 }));
  }

  toString(): string {
    return `${this.start}–${this.end}`;
  }
}
