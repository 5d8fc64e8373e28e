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

// Building a DateTime in a zone asks Intl for the offset (the costliest step of a policy). Everything the
// policies read (local hour and minute, day, week, month starts) is the same for a whole minute, and
// transitions fall on whole minutes, so one DateTime per zone and minute is exact.
const minutes = new Map<string, DateTime>();

/** The local time at `ms` in `zone`, floored to the minute. */
export function localMinute(ms: number, zone: string): DateTime {
  const floored = ms - (((ms % 60_000) + 60_000) % 60_000);
  const key = `${zone}@${floored}`;
  let dt = minutes.get(key);
  if (!dt) {
    dt = DateTime.fromMillis(floored, { zone });
    if (minutes.size > 5_000) minutes.clear();
    minutes.set(key, dt);
  }
  return dt;
}
