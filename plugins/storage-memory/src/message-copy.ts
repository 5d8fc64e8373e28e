import type { Decision, Delivery, Message } from "@nudge/core";
import { clone } from "./util.js";

/** The fields of T that hold an object or array (after dropping null and undefined). */
type NestedKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends object ? K : never }[keyof T];

// Compile-time lists of the nested fields the copies below handle: a new nested field on Message,
// Delivery or Decision fails the build here instead of being shared between the store and its callers.
const MESSAGE_NESTED: Record<NestedKeys<Message>, true> = { channels: true, content: true, attempts: true, decisions: true };
const DELIVERY_NESTED: Record<NestedKeys<Delivery>, true> = { cost: true, details: true };
const DECISION_NESTED: Record<NestedKeys<Decision>, true> = {};
void [MESSAGE_NESTED, DELIVERY_NESTED, DECISION_NESTED];

/**
 * A deep copy of a message that knows its shape: the message store copies one on every write and read,
 * the hottest copy of the dispatch pipeline, and spreading scalars is several times cheaper than the
 * generic walk. Content and provider details are free-form JSON and still get the generic copy.
 */
export function copyMessage(m: Message): Message {
  return {
    ...m,
    channels: m.channels.slice(),
    content: m.content === null ? null : clone(m.content),
    attempts: m.attempts.map(copyDelivery),
    decisions: m.decisions.map((d) => ({ ...d })),
  };
}

/** copyMessage into an existing row, keeping its identity (see MemoryMessageStore.byProfile), with no copy in between. */
export function copyMessageInto(row: Message, m: Message): void {
  Object.assign(row, m);
  row.channels = m.channels.slice();
  row.content = m.content === null ? null : clone(m.content);
  row.attempts = m.attempts.map(copyDelivery);
  row.decisions = m.decisions.map((d) => ({ ...d }));
}

function copyDelivery(a: Delivery): Delivery {
  const out: Delivery = { ...a };
  if (a.cost !== undefined) out.cost = { ...a.cost };
  if (a.details !== undefined) out.details = clone(a.details);
  return out;
}
