import { RowCodec, type ColumnCodec } from "@nudge/storage-sql-common";

/**
 * jsonb columns come back parsed and booleans as booleans: nothing to convert. (JSON parameters go in
 * as text cast to jsonb: see toJson.)
 */
export interface PgColumns {
  json: unknown;
  bool: boolean;
}

export const columns: ColumnCodec<PgColumns> = { json: <T>(v: unknown) => v as T, bool: (v) => v, boolParam: (b) => b };

export const codec = new RowCodec(columns);
