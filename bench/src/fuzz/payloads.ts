import type { Random } from "./random.js";

/** Strings no store keeps as sent: lone and reversed surrogates, NUL (as JSON escapes once serialised). */
export const LONE_SURROGATES = ["\ud800", "a\udc00b", "\udbff\udbff", "\udc00\ud800", "x\ud83d"];
export const NULS = ["\u0000", "a\u0000b", "\u0000\u0000"];
/** Byte sequences that are not UTF-8: stray bytes, overlong NUL, CESU surrogate, cut sequence, beyond U+10FFFF. */
export const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xf4, 0x90, 0x80, 0x80]];
/** Number texts JSON.parse reads as Infinity, -0, 0, or a double that is not the integer written. */
export const HUGE_NUMBERS = ["1e400", "-1e400", "-0", "18446744073709551616", "1e-400", "123456789012345678901234567890", "9007199254740993", "0.1e999999", "-9223372036854775809"];
/** Percent-escapes that do not decode to UTF-8, or decode to something odd. */
export const BAD_ESCAPES = ["%ZZ", "%", "%E0%A4%A", "%ED%A0%80", "%C0%AF", "%FF", "%uD800", "%%", "a%2", "%00", "%F4%90%80%80", "%EF%BF%BD", "%2F..%2F", "."];
export const PROTO_KEYS = ["__proto__", "constructor", "prototype"];
export const WRONG_VALUES: unknown[] = [123, -1, 1.5, "str", "", true, false, null, [], {}, [1, "a", null], { a: { b: 1 } }];

/** Where a value sits in a parsed body: a container and a key, or the root. */
export interface Slot {
  parent: Record<string, unknown> | unknown[] | null;
  key: string | number;
  value: unknown;
}

/** Every position in a JSON value, root first. */
export function slots(root: unknown): Slot[] {
  const out: Slot[] = [{ parent: null, key: "", value: root }];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object") continue;
    for (const [k, child] of Object.entries(v)) {
      out.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k, value: child });
      stack.push(child);
    }
  }
  return out;
}

/** A marker no generated value contains: replaced in the serialised text by what JSON.stringify cannot write. */
export const MARK = "@@fz-mark@@";

/** Puts `value` at a slot; the root slot replaces the whole body. Returns the new root. */
export function put(root: unknown, slot: Slot, value: unknown): unknown {
  if (slot.parent === null) return value;
  (slot.parent as Record<string | number, unknown>)[slot.key] = value;
  return root;
}

/** Renames an object slot's key (the value stays). */
export function rename(slot: Slot, name: string): boolean {
  if (slot.parent === null || Array.isArray(slot.parent)) return false;
  const entries = Object.entries(slot.parent).map(([k, v]) => [k === slot.key ? name : k, v] as const);
  for (const k of Object.keys(slot.parent)) delete slot.parent[k];
  // defineProperty: a `__proto__` name must become an own key, as JSON.parse makes it.
  for (const [k, v] of entries) Object.defineProperty(slot.parent, k, { value: v, enumerable: true, writable: true, configurable: true });
  return true;
}

/** Serialises `root` and splices `raw` (text or bytes) where the marker string sits. */
export function splice(root: unknown, raw: string | Buffer): Buffer {
  const text = JSON.stringify(root) ?? "null";
  const at = text.indexOf(`"${MARK}"`);
  if (at < 0) return Buffer.from(text);
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  return Buffer.concat([Buffer.from(text.slice(0, at)), bytes, Buffer.from(text.slice(at + MARK.length + 2))]);
}

/** JSON nested `levels` deep: arrays or objects. */
export function nested(levels: number, r: Random): string {
  return r.chance(0.5) ? "[".repeat(levels) + "]".repeat(levels) : '{"a":'.repeat(levels) + "1" + "}".repeat(levels);
}

/** Bytes of a body made hostile at the byte level (compressed then damaged, or garbage). */
export function damage(bytes: Buffer, r: Random): Buffer {
  switch (r.int(4)) {
    case 0:
      return Buffer.from(Array.from({ length: 1 + r.int(64) }, () => r.int(256)));
    case 1:
      return bytes.subarray(0, Math.max(1, r.int(bytes.length)));
    case 2: {
      const out = Buffer.from(bytes);
      for (let i = 1 + r.int(4); i > 0; i--) {
        const at = r.int(out.length);
        out[at] = out[at]! ^ (1 + r.int(255));
      }
      return out;
    }
    default:
      return Buffer.concat([bytes, Buffer.from(Array.from({ length: 1 + r.int(16) }, () => r.int(256)))]);
  }
}
