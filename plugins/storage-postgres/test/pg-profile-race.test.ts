import pg from "pg";
import { describe, expect, vi } from "vitest";
import { ConflictError, Tokens, type Profile, type ProfileStore } from "@nudge/core";
import { aProfile } from "@nudge/core/testkit";
import type { PgDatabase } from "@nudge/storage-postgres";
import { PG_URL, pgSuite } from "./pg-test-env.js";

// A save and a delete of one person interleaved at set points: a second connection (the gate) holds a row
// lock or an uncommitted key, so each call stops where the test wants it, then lets both go.

const { schema, whenPg, boot } = pgSuite("nudge_profile_race");
const WS = "acme";

async function setUp(): Promise<{ profiles: ProfileStore; db: PgDatabase; gate: pg.Client; waiting: (n: number) => Promise<void> }> {
  const app = `nudge_race_${Math.random().toString(36).slice(2, 8)}`;
  const { nudge, db } = await boot({ applicationName: app });
  const gate = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await gate.connect();
  // Until `n` of the instance's connections wait for a lock, i.e. the calls reached the points wanted.
  const waiting = (n: number) =>
    vi.waitFor(
      async () => {
        // Activity is read once per transaction, and the gate is inside one: drop the copy read before.
        await gate.query("SELECT pg_stat_clear_snapshot()");
        const { rows } = await gate.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [app]);
        expect(rows[0]?.n).toBe(n);
      },
      { timeout: 10_000, interval: 20 },
    );
  return { profiles: nudge.resolve(Tokens.ProfileStore), db, gate, waiting };
}

async function idRows(gate: pg.Client, profileId: string): Promise<string[]> {
  const { rows } = await gate.query<{ anonymous_id: string }>("SELECT anonymous_id FROM profile_anonymous_ids WHERE workspace_id = $1 AND profile_id = $2", [WS, profileId]);
  return rows.map((r) => r.anonymous_id);
}

const settle = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof ConflictError ? "conflict" : e));

describe("storage-postgres: a profile saved and deleted at once", () => {
  whenPg("a delete waiting on a save of the same person also removes the ids that save committed", async () => {
    const { profiles, gate, waiting } = await setUp();
    try {
      const p = await profiles.save(aProfile(WS, { userId: "u-gated", anonymousIds: ["gated-old"] }));
      // The gate holds "gated-new" uncommitted: the save stops inserting it, after its row update.
      await gate.query("BEGIN");
      await gate.query("INSERT INTO profile_anonymous_ids (workspace_id, anonymous_id, profile_id) VALUES ($1, 'gated-new', 'nobody')", [WS]);
      const save = settle(profiles.save({ ...p, anonymousIds: ["gated-old", "gated-new"] }));
      await waiting(1);
      const erase = settle(profiles.delete(WS, p.id));
      await waiting(2);
      await gate.query("ROLLBACK");
      expect([await save, await erase]).toEqual(["ok", "ok"]);
      expect(await profiles.get(WS, p.id)).toBeNull();
      expect(await idRows(gate, p.id)).toEqual([]);
      const next = await profiles.save(aProfile(WS, { anonymousIds: ["gated-old", "gated-new"] }));
      expect((await profiles.getByAnonymousId(WS, "gated-new"))?.id).toBe(next.id);
    } finally {
      await gate.end();
    }
  });

  whenPg("a save and a delete queued on the same person's row do not deadlock", async () => {
    const { profiles, gate, waiting } = await setUp();
    try {
      const p = await profiles.save(aProfile(WS, { userId: "u-queued", anonymousIds: ["queued-old"] }));
      await gate.query("BEGIN");
      await gate.query("SELECT 1 FROM profiles WHERE workspace_id = $1 AND id = $2 FOR UPDATE", [WS, p.id]);
      const save = settle(profiles.save({ ...p, anonymousIds: ["queued-new"] }));
      await waiting(1);
      const erase = settle(profiles.delete(WS, p.id));
      await waiting(2);
      await gate.query("COMMIT");
      // The save went first (it queued first), or the delete overtook it and the save found nobody.
      expect(["ok", "conflict"]).toContain(await save);
      expect(await erase).toBe("ok");
      expect(await profiles.get(WS, p.id)).toBeNull();
      expect(await idRows(gate, p.id)).toEqual([]);
    } finally {
      await gate.end();
    }
  });

  whenPg("an anonymous id left pointing at a deleted profile (by older versions) is freed by the next save claiming it", async () => {
    const { profiles, gate } = await setUp();
    try {
      await gate.query("INSERT INTO profile_anonymous_ids (workspace_id, anonymous_id, profile_id) VALUES ($1, 'left-behind', 'erased-long-ago')", [WS]);
      expect(await profiles.getByAnonymousId(WS, "left-behind")).toBeNull();
      const p: Profile = await profiles.save(aProfile(WS, { anonymousIds: ["left-behind", "fresh"] }));
      expect((await profiles.getByAnonymousId(WS, "left-behind"))?.id).toBe(p.id);
      expect((await idRows(gate, p.id)).sort()).toEqual(["fresh", "left-behind"]);
      // An id a live profile holds still conflicts.
      await expect(profiles.save(aProfile(WS, { anonymousIds: ["left-behind"] }))).rejects.toBeInstanceOf(ConflictError);
    } finally {
      await gate.end();
    }
  });

  whenPg("a transaction the server rolls back to break a deadlock runs again", async () => {
    const { profiles, db, gate, waiting } = await setUp();
    try {
      const [a, b] = [await profiles.save(aProfile(WS)), await profiles.save(aProfile(WS))];
      const touch = "UPDATE profiles SET updated_at = updated_at WHERE workspace_id = $1 AND id = $2";
      // Only the instance's side checks for the deadlock, so it is the one rolled back.
      await gate.query("BEGIN");
      await gate.query("SET LOCAL deadlock_timeout = '30s'");
      await gate.query(touch, [WS, a.id]);
      let runs = 0;
      const tx = db.tx(async (q) => {
        runs++;
        await q.query(touch, [WS, b.id]);
        await q.query(touch, [WS, a.id]);
        return "done";
      });
      await waiting(1);
      // b is the instance's: a cycle, which the server breaks by rolling the instance's transaction back.
      await gate.query(touch, [WS, b.id]);
      await gate.query("COMMIT");
      expect(await tx).toBe("done");
      expect(runs).toBe(2);
    } finally {
      await gate.end();
    }
  });
});
