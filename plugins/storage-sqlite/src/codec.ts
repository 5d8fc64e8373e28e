import { RowCodec, type ColumnCodec } from "@nudge/storage-sql-common";

/** JSON columns are TEXT (written with toJson, read back with JSON.parse); booleans are INTEGER 0/1. */
export interface SqliteColumns {
  json: string;
  bool: number;
}

export const fromJson = <T>(s: string): T => JSON.parse(s) as T;

export const columns: ColumnCodec<SqliteColumns> = { json: fromJson, bool: (v) => v === 1, boolParam: (b) => (b ? 1 : 0) };

export const codec = new RowCodec(columns);
