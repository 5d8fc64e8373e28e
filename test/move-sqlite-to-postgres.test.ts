import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, sandboxChannel, silentLogger, Tokens, type JourneyDefinitionInput, type PluginSpec } from "@nudge/core";
import { serviceAvailable } from "@nudge/core/testkit";
import { storagePostgres } from "@nudge/storage-postgres";
import { storageSqlite } from "@nudge/storage-sqlite";

const root = join(import.meta.dirname, "..");
const PG_URL = "postgres://postgres@127.0.0.1:5432/test";
const schema = `nudge_move_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const dir = mkdtempSync(join(tmpdir(), "nudge-move-"));
// The script is run from the repository, so it resolves better-sqlite3 and pg as an application would.
const script = join(root, "test", `.copy-sqlite-to-postgres-${process.pid}.mjs`);
const T0 = "2026-05-04T10:00:00Z";
const HOUR = 3_600_000;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(script, { force: true });
  if ((await serviceAvailable("PostgreSQL", "127.0.0.1", 5432)) !== true) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

/** The script exactly as docs/storage.md prints it. */
function scriptFromDocs(): string {
  const doc = readFileSync(join(root, "docs", "storage.md"), "utf8");
  const match = /```js copy-sqlite-to-postgres\.mjs\n([\s\S]*?)```/.exec(doc);
  if (!match?.[1]) throw new Error("docs/storage.md has no copy-sqlite-to-postgres.mjs block");
  return match[1];
}

const journeys: JourneyDefinitionInput[] = [
  { id: "hello", trigger: { type: "event", event: "signed_up" }, steps: [{ id: "now", type: "send", channel: "sandbox", content: { text: "Hello {{ profile.traits.name }}" } }] },
  {
    id: "later",
    trigger: { type: "event", event: "signed_up" },
    steps: [
      { id: "wait", type: "wait", duration: "PT1H", next: "send" },
      { id: "send", type: "send", channel: "sandbox", content: { text: "Still there, {{ profile.traits.name }}?" } },
    ],
  },
];

async function boot(storage: PluginSpec, clock: FakeClock) {
  const nudge = await createNudge({ workspace: "acme", plugins: [storage, sandboxChannel()], logger: silentLogger(), clock });
  await nudge.start();
  return nudge;
}

describe("moving from SQLite to PostgreSQL with the script in docs/storage.md", () => {
  it("copies every table; the new backend carries on where the old one stopped", async (ctx) => {
    const up = await serviceAvailable("PostgreSQL", "127.0.0.1", 5432);
    if (up !== true) ctx.skip(up);
    const sqlitePath = join(dir, "nudge.db");
    const before = await boot(storageSqlite({ path: sqlitePath }), new FakeClock(T0));
    for (const j of journeys) {
      await before.journeys.put(j);
      await before.journeys.publish(j.id);
    }
    await before.identify({ userId: "u1", anonymousId: "anon-1", traits: { name: "Hana", email: "hana@example.com" } });
    await before.track({ userId: "u1", event: "signed_up", properties: { plan: "pro", 금액: 9_900 } });
    await before.drain();
    expect(before.sandbox.list()).toHaveLength(1);
    await before.stop();

    // The empty schema, at the same version, then the copy.
    const empty = await boot(storagePostgres({ url: PG_URL, schema }), new FakeClock(T0));
    await empty.stop();
    writeFileSync(script, scriptFromDocs());
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      cwd: root,
      env: { ...process.env, SQLITE_PATH: sqlitePath, DATABASE_URL: PG_URL, NUDGE_SCHEMA: schema },
    });
    expect(stdout).toMatch(/events: 2 rows/);
    // The journey's wait, and the message log's upkeep (scheduled by the first send).
    expect(stdout).toMatch(/timers: 2 rows/);

    const clock = new FakeClock(T0);
    const after = await boot(storagePostgres({ url: PG_URL, schema }), clock);
    const profile = await after.profiles.find({ anonymousId: "anon-1" });
    expect(profile).toMatchObject({ userId: "u1", traits: { name: "Hana", email: "hana@example.com" }, contacts: { email: "hana@example.com" } });
    const events = await after.resolve(Tokens.EventStore).listByProfile("acme", profile!.id, { limit: 10 });
    expect(events.find((e) => e.name === "signed_up")?.properties).toEqual({ plan: "pro", 금액: 9_900 });
    expect((await after.resolve(Tokens.MessageStore).list("acme", { limit: 10 })).items.map((m) => m.status)).toEqual(["sent"]);

    clock.advance(2 * HOUR);
    await after.drain();
    expect(after.sandbox.list().map((m) => m.content)).toEqual([{ text: "Still there, Hana?" }]);
    expect((await after.resolve(Tokens.MessageStore).list("acme", { limit: 10 })).items).toHaveLength(2);
    await after.stop();
  });
});
