import pg from "pg";
import { serviceAvailable } from "@nudge/core/testkit";

/** The local test database; each run works in its own schema, dropped afterwards, so runs never collide. */
export const PG_URL = "postgres://postgres@127.0.0.1:5432/test";

export const pgAvailable = () => serviceAvailable("PostgreSQL", "127.0.0.1", 5432);

export function uniqueSchema(prefix = "nudge_test"): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
