import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, PluginConfigError, PluginLifecycleError, silentLogger, StorageUnavailableError, type Nudge } from "@nudge/core";
import { POSTGRES_MIGRATIONS, storagePostgres, type PostgresStorageConfigInput } from "@nudge/storage-postgres";
import { dropSchema, PG_URL, pgAvailable, uniqueSchema } from "./pg-test-env.js";

const schemas: string[] = [];
afterAll(async () => {
  if ((await pgAvailable()) === true) for (const s of schemas) await dropSchema(s);
});

async function instance(config: PostgresStorageConfigInput): Promise<Nudge> {
  return createNudge({ workspace: "acme", plugins: [storagePostgres(config)], logger: silentLogger(), clock: new FakeClock() });
}

const needsPg = async (ctx: { skip: (reason: string) => void }) => {
  const a = await pgAvailable();
  if (a !== true) ctx.skip(a);
};

describe("storage-postgres start", () => {
  it("an unreachable server fails start() naming the location, the password redacted", async () => {
    const nudge = await instance({ url: "postgres://nudge:s3cr3t-pw@127.0.0.1:1/app", retry: { attempts: 2, baseDelayMs: 10 }, pool: { connectionTimeoutMs: 1_000 } });
    const error = (await nudge.start().catch((e: unknown) => e)) as PluginLifecycleError;
    expect(error).toBeInstanceOf(PluginLifecycleError);
    expect(error.message).toContain("postgres://nudge:***@127.0.0.1:1/app");
    expect(error.message).toMatch(/ECONNREFUSED|connect/);
    expect(error.message).not.toContain("s3cr3t-pw");
    expect(error.cause).toBeInstanceOf(StorageUnavailableError);
  });

  it("a database that does not exist fails at once (no retries) with a clear error", async (ctx) => {
    await needsPg(ctx);
    const nudge = await instance({ url: "postgres://postgres:hunter2@127.0.0.1:5432/no_such_database_here", retry: { attempts: 5, baseDelayMs: 2_000 } });
    const started = Date.now();
    const error = (await nudge.start().catch((e: unknown) => e)) as PluginLifecycleError;
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.message).toMatch(/cannot open PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/no_such_database_here \(schema nudge\)/);
    expect(error.message).toMatch(/does not exist/);
    expect(error.message).not.toContain("hunter2");
  });

  it("two processes starting at once migrate once, under the advisory lock", async (ctx) => {
    await needsPg(ctx);
    const schema = uniqueSchema();
    schemas.push(schema);
    const [a, b] = await Promise.all([instance({ url: PG_URL, schema }), instance({ url: PG_URL, schema })]);
    await Promise.all([a.start(), b.start()]);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT version FROM "${schema}".nudge_migrations ORDER BY version`);
    expect(rows.map((r: { version: number }) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    // Every table leads with workspace_id, and so does every index.
    const indexes = await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> 'nudge_migrations'`, [schema]);
    expect(indexes.rows.length).toBeGreaterThan(10);
    for (const i of indexes.rows as { indexname: string; indexdef: string }[]) expect(i.indexdef, i.indexname).toMatch(/USING btree \(workspace_id[,)]/);
    await client.end();
    await Promise.all([a.stop(), b.stop()]);
  });

  it("bad settings are refused before anything connects, naming the field", async () => {
    await expect(instance({ url: "mysql://x" })).rejects.toBeInstanceOf(PluginConfigError);
    await expect(instance({ url: "mysql://x" })).rejects.toThrow(/url: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    await expect(instance({ url: PG_URL, schema: "Robert'); DROP TABLE" })).rejects.toThrow(/schema/);
    await expect(instance({} as PostgresStorageConfigInput)).rejects.toThrow(/url/);
  });

  it("stop() is idempotent and later calls fail with StorageUnavailableError", async (ctx) => {
    await needsPg(ctx);
    const schema = uniqueSchema();
    schemas.push(schema);
    const nudge = await instance({ url: PG_URL, schema });
    await nudge.start();
    await nudge.stop();
    await nudge.stop();
    await expect(nudge.profiles.get("x")).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});
