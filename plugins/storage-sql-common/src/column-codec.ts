/**
 * The two kinds of column the SQL backends hand back differently: SQLite returns JSON as TEXT and
 * booleans as 0/1; PostgreSQL returns jsonb already parsed and booleans as booleans.
 */
export interface ColumnTypes {
  json: unknown;
  bool: unknown;
}

/** A plugin's reading and writing of those columns; every other column maps the same on every backend. */
export interface ColumnCodec<C extends ColumnTypes> {
  /** A JSON column that is not NULL, as the driver returned it. */
  json<T>(value: C["json"]): T;
  bool(value: C["bool"]): boolean;
  /** A boolean as a statement parameter. */
  boolParam(value: boolean): C["bool"];
}
