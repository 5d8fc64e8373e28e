import { DateTime, IANAZone } from "luxon";
import type { Profile } from "../domain/profile.js";

// luxon checks a zone by building an Intl.DateTimeFormat, which costs more than the rest of a policy: remember answers.
const validity = new Map<string, boolean>();

function isValidZone(zone: string): boolean {
  let ok = validity.get(zone);
  if (ok === undefined) {
    ok = IANAZone.isValidZone(zone);
    if (validity.size > 10_000) validity.clear();
    validity.set(zone, ok);
  }
  return ok;
}

/** The recipient's own IANA zone when the profile has a valid one, else the workspace's. */
export function recipientZone(profile: Profile, workspaceZone: string): string {
  return profile.timezone && isValidZone(profile.timezone) ? profile.timezone : workspaceZone;
}

/** A Korean phone number in E.164 (+82 ...). */
export function isKoreanNumber(address: string | null | undefined): boolean {
  return typeof address === "string" && address.replace(/[\s-]/g, "").startsWith("+82");
}

/** An epoch time as "2026-03-02 08:00 Asia/Seoul", for reasons people read. */
export function localLabel(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd HH:mm")} ${zone}`;
}

/**
 * Local time per zone, floored to the minute. Building a DateTime in a zone asks Intl for the offset (the
 * costliest step of a policy), yet everything the policies read (local hour and minute, day, week, month
 * starts) is the same for a whole minute, and offset transitions fall on whole minutes: one DateTime per
 * zone and minute is exact. Each policy instance keeps its own (one per Nudge instance), holding the last
 * minute seen per zone, since sends move forward in time.
 */
export class LocalMinutes {
  private readonly byZone = new Map<string, { minute: number; local: DateTime }>();

  /** The local time at `ms` in `zone`, floored to the minute. */
  at(ms: number, zone: string): DateTime {
    const minute = ms - (((ms % 60_000) + 60_000) % 60_000);
    const last = this.byZone.get(zone);
    if (last !== undefined && last.minute === minute) return last.local;
    const local = DateTime.fromMillis(minute, { zone });
    if (last !== undefined) {
      last.minute = minute;
      last.local = local;
    } else {
      if (this.byZone.size > 1_000) this.byZone.clear();
      this.byZone.set(zone, { minute, local });
    }
    return local;
  }
}
