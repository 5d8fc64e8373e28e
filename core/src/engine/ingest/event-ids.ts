import { randomUUID } from "node:crypto";
import { v7 } from "uuid";

/**
 * An event's id: a UUIDv7 (RFC 9562), whose leading bits are the time it was received. Ids of new events
 * then sort after older ones, so a store's index on them grows at its end instead of splitting pages
 * all over the tree, which is most of the cost of indexing random UUIDs.
 */
export function eventId(now: number): string {
  return v7({ msecs: now });
}

/** The idempotency key of a call that brought none: random, it never matches another call. */
export function randomMessageId(): string {
  return randomUUID();
}
