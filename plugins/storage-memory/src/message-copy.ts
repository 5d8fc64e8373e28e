import type { Decision, Delivery, Message } from "@nudge/core";
import { clone, sameJson } from "./util.js";

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
    content: m.content === null ? null : (copyJson(m.content) as Message["content"]),
    attempts: m.attempts.map(copyDelivery),
    decisions: m.decisions.map((d) => ({ ...d })),
  };
}

/**
 * copyMessage into an existing row, keeping its identity (see MemoryMessageStore.byProfile). Most writes
 * change the status and add an attempt: nested values equal to the row's are kept (they are the store's
 * own copies, never handed out), so only what changed is copied.
 */
export function copyMessageInto(row: Message, m: Message): void {
  const { channels, content, attempts, decisions } = row;
  // Field by field rather than Object.assign, which looks every property up generically (a tenth of a
  // claim's time); a test writes every field of a message to catch one missing here.
  row.workspaceId = m.workspaceId;
  row.id = m.id;
  row.idempotencyKey = m.idempotencyKey;
  row.profileId = m.profileId;
  row.journeyId = m.journeyId;
  row.journeyVersion = m.journeyVersion;
  row.stepId = m.stepId;
  row.enrollmentId = m.enrollmentId;
  row.channel = m.channel;
  row.marketing = m.marketing;
  row.topic = m.topic;
  row.status = m.status;
  row.recipient = m.recipient;
  row.notBefore = m.notBefore;
  row.createdAt = m.createdAt;
  row.updatedAt = m.updatedAt;
  row.sentAt = m.sentAt;
  row.channels = sameJson(channels, m.channels) ? channels : m.channels.slice();
  row.content = m.content === null ? null : content !== null && sameJson(content, m.content) ? content : (copyJson(m.content) as Message["content"]);
  row.attempts = keepOrCopy(attempts, m.attempts, copyDelivery);
  row.decisions = keepOrCopy(decisions, m.decisions, (d) => ({ ...d }));
}

/** `next` copied, reusing the elements of `kept` (the store's copies) that equal theirs. */
function keepOrCopy<T>(kept: T[], next: T[], copy: (x: T) => T): T[] {
  if (kept.length === next.length && sameJson(kept, next)) return kept;
  const out = new Array<T>(next.length);
  for (let i = 0; i < next.length; i++) out[i] = i < kept.length && sameJson(kept[i], next[i]) ? kept[i]! : copy(next[i]!);
  return out;
}

function copyDelivery(a: Delivery): Delivery {
  const out: Delivery = { ...a };
  if (a.cost !== undefined) out.cost = { ...a.cost };
  if (a.details !== undefined) out.details = copyJson(a.details) as Delivery["details"];
  return out;
}

/**
 * clone for the free-form JSON of a message (content, provider details), building plain objects key by
 * key: their shapes differ per channel and provider, and a spread over many shapes takes V8's generic
 * path, slower than this walk. Anything but plain objects and arrays still goes to clone.
 */
function copyJson(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  if (Array.isArray(v)) {
    const out: unknown[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copyJson(v[i]);
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return clone(v);
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    // An own "__proto__" key (JSON.parse makes them) must stay data, not become the copy's prototype.
    if (k === "__proto__") Object.defineProperty(out, k, { value: copyJson(src[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = copyJson(src[k]);
  }
  return out;
}
