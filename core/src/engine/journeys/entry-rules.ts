import { DateTime, Duration } from "luxon";
import type { Enrollment, JourneyDefinition } from "../../domain/journey.js";

/**
 * Whether a person may enter, given their most recent enrollment in the journey: at most one active
 * enrollment unless concurrency is allowed; then re-entry never / always / once the cooldown (counted
 * from the last entry) has passed.
 */
export function mayEnter(def: JourneyDefinition, latest: Enrollment | null, now: number): boolean {
  if (!latest) return true;
  if (latest.state === "active" && !def.entry.allowConcurrent) return false;
  switch (def.entry.reentry) {
    case "never":
      return false;
    case "always":
      return true;
    case "cooldown": {
      const until = DateTime.fromMillis(latest.enteredAt, { zone: "utc" }).plus(Duration.fromISO(def.entry.cooldown ?? "PT0S"));
      return now >= until.toMillis();
    }
  }
}
