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
  // A spread copies the scalars in one step (V8 clones the shape); only nested values need the walk
  // (for-in on the fresh copy: its own keys only, without the array Object.keys would build).
  const out: Record<string, unknown> = { ...v };
  for (const k in out) {
    const x = out[k];
    if (typeof x === "object" && x !== null) out[k] = copy(x);
  }
  return out;
}

/**
 * Deep equality of JSON-shaped values as `clone` copies them: what a stored copy would be. Anything
 * `clone` hands to structuredClone (not a plain object or array) is equal only to itself.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const pa: unknown = Object.getPrototypeOf(a);
  const pb: unknown = Object.getPrototypeOf(b);
  if ((pa !== Object.prototype && pa !== null) || (pb !== Object.prototype && pb !== null)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (!Object.hasOwn(y, k) || !sameJson(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (Object.hasOwn(y, k)) n--;
  return n === 0;
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
