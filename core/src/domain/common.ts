import { z } from "zod";

/** Epoch milliseconds: every stored time is one; APIs accept ISO 8601 and convert. */
export const EpochMs = z.number().int().nonnegative();
export type EpochMs = number;

/** ES2024's String.prototype.isWellFormed: Node 20 has it, the ES2023 lib this build targets does not declare it. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * Why a string cannot be stored as sent, or null. A lone UTF-16 surrogate comes back from SQLite as U+FFFD (the
 * same id then no longer finds its own record) and is refused by PostgreSQL's jsonb; PostgreSQL keeps no NUL in
 * text or jsonb. The HTTP adapter refuses both before parsing; this is the same rule for calls made in code.
 */
export function unstorableText(s: string): string | null {
  if (!wellFormed(s)) return "holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff), which no store keeps as sent";
  if (s.includes("\u0000")) return "holds a NUL character (\\u0000), which PostgreSQL cannot store in text or JSON";
  return null;
}

const storable = (s: string, ctx: z.RefinementCtx): void => {
  const why = unstorableText(s);
  if (why) ctx.addIssue({ code: "custom", message: why });
};

/** An id or a name: 1–200 characters every store keeps exactly as sent. */
export const Id = z.string().min(1).max(200).superRefine(storable);

/** Adds an issue for every key or string value, at any depth, that no store keeps as sent. */
function checkStorable(value: unknown, path: (string | number)[], ctx: z.RefinementCtx, depth = 0): void {
  if (depth > 512) return;
  if (typeof value === "string") {
    const why = unstorableText(value);
    if (why) ctx.addIssue({ code: "custom", message: why, path });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkStorable(v, [...path, i], ctx, depth + 1));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      const why = unstorableText(k);
      if (why) ctx.addIssue({ code: "custom", message: `key ${why}`, path: [...path, k] });
      checkStorable(v, [...path, k], ctx, depth + 1);
    }
  }
}

/** JSON-serialisable properties (event properties, traits), every string storable as sent. */
export const JsonRecord = z.record(z.string(), z.unknown()).superRefine((v, ctx) => checkStorable(v, [], ctx));
export type JsonRecord = Record<string, unknown>;

/** Accepts an ISO 8601 string, a Date or epoch ms; yields epoch ms. */
export const Timestamp = z
  .union([z.iso.datetime({ offset: true }), z.date(), EpochMs])
  .transform((v) => (typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : v.getTime()));

/** An ISO 8601 duration such as PT1H or P3D (validated by luxon where it is used). */
export const IsoDuration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, {
  message: "must be an ISO 8601 duration such as PT1H or P3D",
});
