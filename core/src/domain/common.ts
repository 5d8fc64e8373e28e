import { z } from "zod";

/** Epoch milliseconds: every stored time is one; APIs accept ISO 8601 and convert. */
export const EpochMs = z.number().int().nonnegative();
export type EpochMs = number;

export const Id = z.string().min(1).max(200);

/** JSON-serialisable properties (event properties, traits). */
export const JsonRecord = z.record(z.string(), z.unknown());
export type JsonRecord = Record<string, unknown>;

/** Accepts an ISO 8601 string, a Date or epoch ms; yields epoch ms. */
export const Timestamp = z
  .union([z.iso.datetime({ offset: true }), z.date(), EpochMs])
  .transform((v) => (typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : v.getTime()));

/** An ISO 8601 duration such as PT1H or P3D (validated by luxon where it is used). */
export const IsoDuration = z.string().regex(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, {
  message: "must be an ISO 8601 duration such as PT1H or P3D",
});
