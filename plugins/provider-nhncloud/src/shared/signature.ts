import { timingSafeEqual } from "node:crypto";

/** Constant-time comparison of two strings, byte for byte: NHN's webhook signature is a shared value. */
export function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
