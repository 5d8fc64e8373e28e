import { z } from "zod";
import { Id } from "@nudge/core";

/** Path and query shapes shared by the admin routes. Express gives strings; numbers are coerced. */
export const IdParams = z.object({ id: Id });
export const UserIdParams = z.object({ userId: Id });

export const Limit = z.coerce.number().int().min(1).max(200).default(50);
export const Cursor = z.string().min(1).max(500).optional();

export const PageQuery = z.object({ cursor: Cursor, limit: Limit });

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** An empty object: POST routes that take no body document none and ignore any. */
export const NoContent = { description: "Done; no body" };
