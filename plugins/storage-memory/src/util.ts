import type { Page } from "@nudge/core";

/**
 * Deep copies cross the port boundary both ways, so callers never share mutable state with the store.
 * Stored records are JSON-shaped (the SQL backends keep them as JSON), so a plain walk copies them, several
 * times faster than structuredClone, which pays for cycles and exotic types on every call; anything that
 * is not a plain object or array (a Date, a Map) still goes through structuredClone.
 */
export const clone = <T>(v: T): T => copy(v) as T;

function copy(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i]);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return structuredClone(v);
  // A spread copies the scalars in one step (V8 clones the shape); only nested values need the walk.
  const out: Record<string, unknown> = { ...v };
  for (const k of Object.keys(out)) {
    const x = out[k];
    if (typeof x === "object" && x !== null) out[k] = copy(x);
  }
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
