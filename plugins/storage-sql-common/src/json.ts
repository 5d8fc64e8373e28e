/**
 * JSON columns and parameters are written as JSON text on every backend: SQLite stores the text,
 * PostgreSQL casts it to jsonb (left to pg, a JS array would become a PostgreSQL array, not JSON).
 */
export const toJson = (v: unknown): string => JSON.stringify(v);
