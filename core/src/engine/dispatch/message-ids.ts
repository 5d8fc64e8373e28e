import { randomFillSync } from "node:crypto";
import { injectable } from "tsyringe";

const HEX = Buffer.from("0123456789abcdef", "latin1");
const POOL = 4096;

/**
 * Random message ids: UUIDv4 (RFC 9562 §5.4), as crypto.randomUUID makes them. Written by hand because
 * randomUUID builds each id from about twenty string concatenations (some 600 bytes of garbage per id,
 * on every send); here the 36 characters go into a buffer read out as one string, from random bytes
 * drawn 4 KB at a time. One per instance, like every dispatch service.
 */
@injectable()
export class MessageIds {
  private readonly pool = Buffer.allocUnsafe(POOL);
  private used = POOL;
  private readonly text = Buffer.allocUnsafe(36);

  next(): string {
    if (this.used + 16 > POOL) {
      randomFillSync(this.pool);
      this.used = 0;
    }
    const r = this.pool;
    const at = this.used;
    this.used += 16;
    r[at + 6] = (r[at + 6]! & 0x0f) | 0x40; // version 4
    r[at + 8] = (r[at + 8]! & 0x3f) | 0x80; // variant 10xx
    const t = this.text;
    let o = 0;
    for (let k = 0; k < 16; k++) {
      if (k === 4 || k === 6 || k === 8 || k === 10) t[o++] = 0x2d; // "-"
      const b = r[at + k]!;
      t[o++] = HEX[b >> 4]!;
      t[o++] = HEX[b & 15]!;
    }
    return t.toString("latin1", 0, 36);
  }
}
