import { Cron } from "croner";

/** Every IANA zone the runtime knows: the candidates for "recipient" schedules. */
export const ALL_ZONES: readonly string[] = [...Intl.supportedValuesOf("timeZone"), "UTC"];

/** Whether the runtime knows the zone (a profile's zone is data, not checked on the way in). */
export function isZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const jobs = new Map<string, Cron>();

/** croner parses the expression once per (expression, zone); a tick asks every zone of the world. */
function job(cron: string, zone: string): Cron {
  const key = `${zone} ${cron}`;
  let j = jobs.get(key);
  if (!j) {
    if (jobs.size > 5000) jobs.clear();
    j = new Cron(cron, { timezone: zone, paused: true });
    jobs.set(key, j);
  }
  return j;
}

/**
 * The occurrences of a cron expression in (from, to], local to `zone`, oldest first. croner does the
 * calendar and DST work; `limit` bounds a long gap (a process down for days) to its latest occurrences.
 */
export function occurrences(cron: string, zone: string, from: number, to: number, limit = 50): Date[] {
  const j = job(cron, zone);
  const out: Date[] = [];
  for (let at = j.nextRun(new Date(from)); at && at.getTime() <= to; at = j.nextRun(at)) {
    out.push(at);
    if (out.length > limit) out.shift();
  }
  return out;
}

/** Whether any of the zones has an occurrence in (from, to]: most ticks of a "recipient" schedule have none. */
export function anyZoneFires(cron: string, zones: Iterable<string>, from: number, to: number): boolean {
  for (const zone of zones) {
    const next = job(cron, zone).nextRun(new Date(from));
    if (next && next.getTime() <= to) return true;
  }
  return false;
}

/** Throws when croner cannot read the expression. */
export function checkCron(cron: string): void {
  new Cron(cron, { paused: true });
}
