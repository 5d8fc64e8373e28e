import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { PluginSpec } from "@nudge/core";
import { serviceAvailable } from "@nudge/core/testkit";
import { storagePostgres } from "@nudge/storage-postgres";
import { storageSqlite } from "@nudge/storage-sqlite";

export const PG_URL = "postgres://postgres@127.0.0.1:5432/test";

/** A store that outlives its process: what a restart test opens again. */
export interface DurableBackend {
  name: "sqlite" | "postgres";
  available: () => Promise<true | string>;
  /** A fresh, empty database for one test; every `storage()` call opens that same one. */
  fresh: () => Promise<{ storage: () => PluginSpec; cleanup: () => Promise<void> }>;
}

/** SQLite in a temporary folder and PostgreSQL in a schema of its own, each named after `prefix`. */
export function durableBackends(prefix: string): DurableBackend[] {
  return [
    {
      name: "sqlite",
      available: async () => true,
      fresh: async () => {
        const dir = mkdtempSync(join(tmpdir(), `${prefix.replace(/_/g, "-")}-`));
        return { storage: () => storageSqlite({ path: join(dir, "nudge.db") }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
    {
      // jsonb hands definitions back with their keys in its own order.
      name: "postgres",
      available: () => serviceAvailable("PostgreSQL", "127.0.0.1", 5432),
      fresh: async () => {
        const schema = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        return {
          storage: () => storagePostgres({ url: PG_URL, schema }),
          cleanup: async () => {
            const client = new pg.Client({ connectionString: PG_URL });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
            await client.end();
          },
        };
      },
    },
  ];
}
