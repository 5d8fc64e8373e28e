import type { Page } from "@nudge/core";

/**
 * Deep copies cross the port boundary both ways, so callers never share mutable state with the store.
 * Stored records are JSON-shaped (the SQL backends keep them as JSON), so a plain walk copies them, several
 * times faster than structuredClone, which pays for cycles and exotic types on every call; anything that
 * is not a plain object or array (a Date, a Map) still goes through structuredClone.
 */
export const clone = <T>(v: T): T => copy(v) as T;

function copy(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(copy);
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copy((v as Record<string, unknown>)[k]);
  return out;
}

/** Offset cursors: enough for an in-memory store. */
export function paginate<T>(items: T[], cursor: string | null | undefined, limit: number): Page<T> {
  const start = cursor ? Number.parseInt(cursor, 10) || 0 : 0;
  const slice = items.slice(start, start + limit);
  const end = start + slice.length;
  return { items: slice, nextCursor: end < items.length ? String(end) : null };
}

/** Records keyed by workspace then id. */
export class Scoped<T> {
  private readonly byWs = new Map<string, Map<string, T>>();

  of(ws: string): Map<string, T> {
    let m = this.byWs.get(ws);
    if (!m) {
      m = new Map();
      this.byWs.set(ws, m);
    }
    return m;
  }
}
