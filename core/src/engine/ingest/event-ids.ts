import { randomFillSync, randomUUID } from "node:crypto";
import { v7 } from "uuid";

/** Random bytes drawn 4 KB at a time: one system call per 256 ids instead of one per id. */
const POOL = new Uint8Array(4096);
let used = POOL.length;
function random16(): Uint8Array {
  if (used + 16 > POOL.length) {
    randomFillSync(POOL);
    used = 0;
  }
  used += 16;
  return POOL.subarray(used - 16, used);
}

/**
 * An event's id: a UUIDv7 (RFC 9562), whose leading bits are the time it was received. Ids of new events
 * then sort after older ones, so a store's index on them grows at its end instead of splitting pages
 * all over the tree, which is most of the cost of indexing random UUIDs.
 */
export function eventId(now: number): string {
  return v7({ msecs: now, random: random16() });
}

/** The idempotency key of a call that brought none: random, it never matches another call. */
export function randomMessageId(): string {
  return randomUUID();
}
