import pg from "pg";
import { afterAll, beforeAll, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, type MessageStore, type Nudge } from "@nudge/core";
import { serviceAvailable } from "@nudge/core/testkit";
import { storagePostgres, type PgDatabase, type PostgresStorageConfigInput } from "@nudge/storage-postgres";

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

/**
 * A test file's PostgreSQL set-up: its own schema, dropped after the file with every instance `boot` started
 * stopped first. `whenPg` tests skip with the reason when PostgreSQL is out of reach (see serviceAvailable).
 */
export function pgSuite(prefix?: string) {
  const schema = uniqueSchema(prefix);
  const started: Nudge[] = [];
  let skip: string | null = null;
  beforeAll(async () => {
    const a = await pgAvailable();
    skip = a === true ? null : a;
  });
  afterAll(async () => {
    for (const n of started) await n.stop();
    if (skip === null) await dropSchema(schema);
  });
  return {
    schema,
    whenPg: (title: string, fn: () => Promise<void>) =>
      it(title, async (ctx) => {
        if (skip !== null) ctx.skip(skip);
        await fn();
      }),
    /** A started instance on the suite's schema (workspace "acme"), stopped after the file. */
    async boot(config: Partial<PostgresStorageConfigInput> = {}): Promise<{ nudge: Nudge; db: PgDatabase; store: MessageStore }> {
      const nudge = await createNudge({ workspace: "acme", plugins: [storagePostgres({ url: PG_URL, schema, ...config })], logger: silentLogger(), clock: new FakeClock() });
      await nudge.start();
      started.push(nudge);
      return { nudge, db: nudge.resolve(Tokens.StorageHealth) as PgDatabase, store: nudge.resolve(Tokens.MessageStore) };
    },
  };
}
