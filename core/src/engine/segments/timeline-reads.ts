import type { PropertyFilter } from "../../domain/segment.js";
import type { TimelinePoint } from "../../ports/stores.js";

/** The widest read any segment makes of one event name (and filter): one read serves them all. */
export interface ReadHint {
  /** ms back from now. */
  window: number;
  limit: number;
  /** The summed property, when every sum over this name agrees on one. */
  sumOf: string | undefined;
}

export type Fetch = (name: string | null, from: number, where: PropertyFilter[] | undefined, limit: number, sumOf: string | undefined) => Promise<TimelinePoint[]>;

interface Read {
  from: number;
  limit: number;
  sumOf: string | undefined;
  points: Promise<TimelinePoint[]>;
}

export function timelineKey(name: string | null, where: PropertyFilter[] | undefined): string {
  return `${name ?? "\u0001"}\u0000${where && where.length > 0 ? JSON.stringify(where) : ""}`;
}

/**
 * Window reads of one evaluation pass. The first read of an event name fetches the widest window and
 * the most points any segment needs (from the index's hints); later reads of that name are cut from
 * it. "Did not log in for 14 days", "at risk" and "logged in this week" then cost one read, not three.
 * A cut is exact: the newest `limit` points from `from` on are among the newest `L` fetched from an
 * earlier instant whenever limit <= L, or when the fetch held everything (fewer than L points).
 */
export class TimelineReads {
  private readonly reads = new Map<string, Read[]>();

  constructor(
    private readonly fetch: Fetch,
    private readonly now: number,
    private readonly hints: ReadonlyMap<string, ReadHint> | undefined,
  ) {}

  async get(name: string | null, from: number, where: PropertyFilter[] | undefined, limit: number, sumOf: string | undefined): Promise<TimelinePoint[]> {
    const key = timelineKey(name, where);
    let list = this.reads.get(key);
    for (const r of list ?? []) {
      if (r.from > from || (sumOf !== undefined && r.sumOf !== sumOf)) continue;
      const points = await r.points;
      if (points.length < r.limit || limit <= r.limit) return cut(points, from, limit);
    }
    const hint = this.hints?.get(key);
    let read: Read = { from, limit, sumOf, points: Promise.resolve([]) };
    if (hint && this.now - hint.window <= from && hint.limit >= limit && (sumOf === undefined || hint.sumOf === sumOf)) {
      read = { from: this.now - hint.window, limit: hint.limit, sumOf: hint.sumOf, points: read.points };
    }
    read.points = this.fetch(name, read.from, where, read.limit, read.sumOf);
    if (!list) this.reads.set(key, (list = []));
    list.push(read);
    return cut(await read.points, from, limit);
  }
}

function cut(points: TimelinePoint[], from: number, limit: number): TimelinePoint[] {
  let n = 0;
  while (n < points.length && n < limit && points[n]!.timestamp >= from) n++;
  return n === points.length ? points : points.slice(0, n);
}
