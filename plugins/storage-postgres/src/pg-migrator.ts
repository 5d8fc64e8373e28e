import { createHash } from "node:crypto";
import type pg from "pg";
import { pendingMigrations } from "@nudge/storage-sql-common";
import { MIGRATIONS } from "./migrations.js";

/** A stable 64-bit advisory-lock key per schema, so two deployments in one database do not wait on each other. */
function lockKey(schema: string): string {
  return createHash("sha256").update(`nudge.migrations.${schema}`).digest().readBigInt64BE(0).toString();
}

/**
 * Applies missing migrations in one transaction holding a transaction-scoped advisory lock: a second
 * process starting at the same time waits on the lock, then finds the migrations applied. Returns the
 * versions applied now.
 */
export async function migrate(client: pg.PoolClient, schema: string, now: number): Promise<number[]> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1::bigint)", [lockKey(schema)]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    await client.query("CREATE TABLE IF NOT EXISTS nudge_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)");
    const { rows } = await client.query<{ v: number | null }>("SELECT MAX(version) AS v FROM nudge_migrations");
    const current = rows[0]?.v ?? 0;
    const applied: number[] = [];
    for (const m of pendingMigrations(MIGRATIONS, current, "@nudge/storage-postgres")) {
      await client.query(m.sql);
      await client.query("INSERT INTO nudge_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, now]);
      applied.push(m.version);
    }
    await client.query("COMMIT");
    return applied;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  }
}
