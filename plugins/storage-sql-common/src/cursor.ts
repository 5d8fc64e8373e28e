import { z } from "zod";
import { ValidationError, type Page } from "@nudge/core";

/**
 * Keyset cursors: the sort key of the last row returned, opaque to callers. Unlike offsets they stay
 * correct while rows are inserted, and each page costs one index seek.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ValidationError("cursor", [{ path: "cursor", message: "not a cursor returned by this store" }]);
  return parsed.data;
}

export const IdCursor = z.tuple([z.string()]);
export const TimeIdCursor = z.tuple([z.number(), z.string()]);

/**
 * A page from `limit + 1` rows read in key order: the extra row only says whether another page
 * follows, and the cursor is the key of the last item kept.
 */
export function toPage<R, T>(rows: readonly R[], limit: number, map: (row: R) => T, keyOf: (item: T) => readonly (string | number)[]): Page<T> {
  const items = rows.slice(0, limit).map(map);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
