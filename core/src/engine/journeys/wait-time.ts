import { DateTime, Duration, IANAZone } from "luxon";
import type { StepOf, Weekday } from "../../domain/journey.js";
import type { Profile } from "../../domain/profile.js";
import { readPath } from "../compare.js";

const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** "recipient" is the person's zone (falling back to the workspace's), "workspace" the workspace's, else an IANA zone. */
export function resolveZone(choice: string, profile: Pick<Profile, "timezone"> | null, workspaceZone: string): string {
  if (choice === "workspace") return workspaceZone;
  if (choice !== "recipient") return choice;
  const own = profile?.timezone;
  return own && IANAZone.isValidZone(own) ? own : workspaceZone;
}

/**
 * The first moment at or after `from` that is `time` local in `zone`, on one of `days` when given.
 * luxon does the calendar work, so days that are 23 or 25 hours long (DST) still land on 10:00 local.
 */
export function nextLocalTime(from: number, time: string, days: readonly Weekday[] | undefined, zone: string): number {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const start = DateTime.fromMillis(from, { zone });
  for (let i = 0; i < 8; i++) {
    const candidate = start.plus({ days: i }).set({ hour, minute, second: 0, millisecond: 0 });
    if (candidate.toMillis() >= from && (!days || days.includes(WEEKDAYS[candidate.weekday - 1]!))) return candidate.toMillis();
  }
  throw new Error(`no ${time} on ${days?.join(",")} within a week`); // unreachable: days is non-empty
}

/** Parses a date kept in a trait: ISO 8601 (a date alone is midnight in `zone`) or epoch milliseconds. */
export function traitDate(value: unknown, zone: string): DateTime | null {
  if (typeof value === "number" && Number.isFinite(value)) return DateTime.fromMillis(value, { zone });
  if (typeof value !== "string") return null;
  const d = DateTime.fromISO(value, { zone });
  return d.isValid ? d : null;
}

export interface WaitEnd {
  /** When the wait ends; null when it cannot be computed (a missing trait). */
  dueAt: number | null;
  /** The moment was already past when the person arrived (fixed instants and trait dates only). */
  past: boolean;
}

/** When a wait step ends for this person, computed once when they arrive. */
export function waitEnd(step: StepOf<"wait">, now: number, profile: Pick<Profile, "timezone" | "traits"> | null, workspaceZone: string): WaitEnd {
  if (step.duration !== undefined) {
    const zone = resolveZone("recipient", profile, workspaceZone);
    return { dueAt: DateTime.fromMillis(now, { zone }).plus(Duration.fromISO(step.duration)).toMillis(), past: false };
  }
  if (step.until !== undefined) {
    const zone = resolveZone(step.until.zone, profile, workspaceZone);
    const from = step.until.after ? DateTime.fromMillis(now, { zone }).plus(Duration.fromISO(step.until.after)).toMillis() : now;
    return { dueAt: nextLocalTime(from, step.until.time, step.until.days, zone), past: false };
  }
  if (step.at !== undefined) {
    const at = Date.parse(step.at);
    return { dueAt: at, past: at < now };
  }
  const t = step.trait!;
  const zone = resolveZone(t.zone, profile, workspaceZone);
  let d = traitDate(readPath(profile?.traits, t.name), zone);
  if (!d) return { dueAt: null, past: true };
  if (t.before) d = d.minus(Duration.fromISO(t.before));
  if (t.after) d = d.plus(Duration.fromISO(t.after));
  if (t.time) {
    const [hour, minute] = t.time.split(":").map(Number) as [number, number];
    d = d.set({ hour, minute, second: 0, millisecond: 0 });
  }
  return { dueAt: d.toMillis(), past: d.toMillis() < now };
}
