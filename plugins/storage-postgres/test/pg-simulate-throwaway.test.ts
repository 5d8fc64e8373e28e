import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createNudge, journey, sandboxChannel, ValidationError, type Nudge } from "@nudge/core";
import { capturingLogger } from "@nudge/core/testkit";
import { PostgresStorageConfig, storagePostgres } from "@nudge/storage-postgres";
import { dropSchema, PG_URL, pgAvailable, uniqueSchema } from "./pg-test-env.js";

const schemas: string[] = [];
const instances: Nudge[] = [];
afterAll(async () => {
  for (const n of instances) await n.stop();
  if ((await pgAvailable()) === true) for (const s of schemas) await dropSchema(s);
});

const needsPg = async (ctx: { skip: (reason: string) => void }) => {
  const a = await pgAvailable();
  if (a !== true) ctx.skip(a);
};

/** A live instance on its own schema, created and never started, with no `simulation` option. */
async function live(): Promise<{ nudge: Nudge; schema: string; lines: Record<string, unknown>[] }> {
  const schema = uniqueSchema("nudge_simlive");
  schemas.push(schema);
  const { logger, lines } = capturingLogger("debug");
  const nudge = await createNudge({
    workspace: "acme",
    plugins: [storagePostgres({ url: PG_URL, schema }), sandboxChannel({ id: "text", kind: "text", addressFrom: "phone" })],
    logger,
  });
  instances.push(nudge);
  return { nudge, schema, lines };
}

const hello = journey("hello").on("signed_up").send("hi", { channel: "text", content: { text: "hi {{ profile.traits.name }}" } }).build();
const signedUp = (traits: Record<string, unknown> = { name: "Ann" }) => ({
  profile: { userId: "u1", traits, contacts: { phone: "+821012345678" } },
  events: [{ at: "2026-03-02T03:00:00Z", name: "signed_up" }],
});

/** The throwaway schemas a run opened, as storage-postgres logged them ("... (schema nudge_sim_...)"). */
const throwawaySchemas = (lines: Record<string, unknown>[]) => [
  ...new Set(lines.flatMap((l) => [...String(l["location"] ?? "").matchAll(/\(schema (nudge_sim_[0-9a-f]+)\)/g)].map((m) => m[1]!))),
];

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const existing = (names: string[]) =>
  withClient(async (c) => (await c.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)", [names])).rows.map((r) => r.nspname));

describe("storage-postgres's throwaway store for simulate()", () => {
  it("is the same server and database in a new schema of its own, with a pool of two, dropped at close", () => {
    const config = PostgresStorageConfig.parse({ url: PG_URL, schema: "app", pool: { max: 20, statementTimeoutMs: 5_000 }, applicationName: "shop" });
    const spec = storagePostgres({ url: PG_URL, schema: "app" }).plugin.throwaway!(config);
    const made = PostgresStorageConfig.parse(spec.config);
    expect(spec.plugin.id).toBe("storage-postgres");
    expect(made).toMatchObject({ url: PG_URL, applicationName: "shop", temporarySchema: true, pool: { max: 2, statementTimeoutMs: 5_000 } });
    expect(made.schema).toMatch(/^nudge_sim_[0-9a-f]{16}$/);
    expect(PostgresStorageConfig.parse(storagePostgres({ url: PG_URL, schema: "app" }).plugin.throwaway!(config).config).schema).not.toBe(made.schema);
    expect(config.temporarySchema).toBe(false);
  });

  it("simulate() on an instance never started, naming no store, sends, then leaves no schema and no row behind", async (ctx) => {
    await needsPg(ctx);
    const { nudge, schema, lines } = await live();
    const r = await nudge.simulate(hello, signedUp());
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ status: "sent", channel: "text", recipient: "+821012345678" });
    expect(r.steps.map((s) => s.stepId)).toContain("hi");

    const used = throwawaySchemas(lines);
    expect(used).toHaveLength(1);
    expect(await existing(used)).toEqual([]);
    // The live instance was never started: its schema was not even created.
    expect(await existing([schema])).toEqual([]);
  });

  it("a started instance's schema gets no row of a simulation", async (ctx) => {
    await needsPg(ctx);
    const { nudge, schema, lines } = await live();
    await nudge.start();
    const count = () =>
      withClient(async (c) => {
        const n: Record<string, number> = {};
        for (const t of ["profiles", "events", "messages", "enrollments", "journey_versions"]) n[t] = Number((await c.query(`SELECT COUNT(*) AS n FROM "${schema}".${t}`)).rows[0].n);
        return n;
      });
    const before = await count();
    const r = await nudge.simulate(hello, signedUp());
    expect(r.messages[0]).toMatchObject({ status: "sent" });
    expect(await count()).toEqual(before);
    expect(before).toEqual({ profiles: 0, events: 0, messages: 0, enrollments: 0, journey_versions: 0 });
    const used = throwawaySchemas(lines);
    expect(used).toHaveLength(1);
    expect(await existing(used)).toEqual([]);
  });

  it("a simulation that throws still drops its schema", async (ctx) => {
    await needsPg(ctx);
    const { nudge, lines } = await live();
    // The timeline takes any event name, track() refuses one over 200 characters: the run fails after the
    // person, the journey and its first message are in the throwaway store.
    const input = { ...signedUp(), events: [...signedUp().events, { at: "2026-03-03T03:00:00Z", name: "x".repeat(201) }] };
    const error = await nudge.simulate(hello, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const used = throwawaySchemas(lines);
    expect(used).toHaveLength(1);
    expect(await existing(used)).toEqual([]);
  });

  it("simulate()'s own storage option still wins over the throwaway schema", async (ctx) => {
    await needsPg(ctx);
    const { nudge, lines } = await live();
    const schema = uniqueSchema("nudge_simopt");
    schemas.push(schema);
    const r = await nudge.simulate(hello, signedUp(), { storage: storagePostgres({ url: PG_URL, schema }) });
    expect(r.messages[0]).toMatchObject({ status: "sent" });
    expect(throwawaySchemas(lines)).toEqual([]);
    expect(await existing([schema])).toEqual([schema]);
  });
});
