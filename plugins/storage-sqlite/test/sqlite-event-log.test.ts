import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { StorageUnavailableError, Tokens } from "@nudge/core";
import { anEvent } from "@nudge/core/testkit";
import { eventLogPath, SQLITE_MIGRATIONS } from "@nudge/storage-sqlite";
import { dbPath, startSqlite } from "./sqlite-test-env.js";

const tables = (path: string): string[] => {
  const raw = new Database(path, { readonly: true });
  const names = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  raw.close();
  return names;
};

describe("storage-sqlite: the event log", () => {
  it("lives in its own file beside the database, written by a thread, and survives a restart", async () => {
    expect(eventLogPath("/data/nudge.db")).toBe("/data/nudge.events.db");
    expect(eventLogPath("/data/store.sqlite")).toBe("/data/store.events.sqlite");
    expect(eventLogPath("/data/nudge")).toBe("/data/nudge.events.db");
    const { nudge, db, path } = await startSqlite();
    expect(db.eventsWrittenInBackground).toBe(true);
    const events = nudge.resolve(Tokens.EventStore);
    expect(await events.appendMany([anEvent("acme", "p-1", { messageId: "m-1" }), anEvent("acme", "p-1", { messageId: "m-2" })])).toEqual([true, true]);
    await events.markProcessed("acme", [(await events.getByMessageId("acme", "m-1"))!.id], 5);
    await nudge.stop();
    expect(tables(path)).not.toContain("events");
    expect(tables(eventLogPath(path))).toContain("events");
    const again = await startSqlite({ path });
    const stored = again.nudge.resolve(Tokens.EventStore);
    expect((await stored.getByMessageId("acme", "m-1"))?.processedAt).toBe(5);
    // Stored unprocessed, it was replayed (and marked) at start.
    expect(await stored.getByMessageId("acme", "m-2")).not.toBeNull();
    await again.nudge.stop();
  });

  it("a database whose events are still in its own file has them moved to the event log at start", async () => {
    const path = dbPath();
    mkdirSync(dirname(path), { recursive: true });
    const old = new Database(path);
    old.pragma("journal_mode = WAL");
    old.exec("CREATE TABLE nudge_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    for (const m of SQLITE_MIGRATIONS.filter((x) => x.version <= 3)) {
      old.exec(m.sql);
      old.prepare("INSERT INTO nudge_migrations VALUES (?, ?, 0)").run(m.version, m.name);
    }
    const insert = old.prepare("INSERT INTO events VALUES ('acme', ?, ?, 'track', 'purchase', 'p-old', NULL, NULL, '{\"total\":3}', '{}', ?, 0, 0)");
    for (let i = 0; i < 3; i++) insert.run(`old-${i}`, `id-${i}`, 100 + i);
    old.close();
    expect(existsSync(eventLogPath(path))).toBe(false);

    const { nudge } = await startSqlite({ path });
    const events = nudge.resolve(Tokens.EventStore);
    expect((await events.listByProfile("acme", "p-old", { limit: 10 })).map((e) => e.messageId)).toEqual(["old-2", "old-1", "old-0"]);
    expect(await events.sum("acme", { profileId: "p-old", name: "purchase", from: 0, to: 1_000 }, "total")).toBe(9);
    // A duplicate of a moved event is still a duplicate.
    expect(await events.append(anEvent("acme", "p-old", { messageId: "old-1" }))).toBe(false);
    await nudge.stop();
    expect(tables(path)).not.toContain("events");
  });

  it("a batch goes to the thread, and so does what arrives while it is busy; single events beside an idle thread commit on the event loop", async () => {
    const { nudge, db } = await startSqlite();
    const events = nudge.resolve(Tokens.EventStore);
    const commits = vi.spyOn(db, "commitGroup");
    const batch = events.appendMany(Array.from({ length: 500 }, (_, i) => anEvent("acme", `p-${i % 7}`, { messageId: `b-${i}` })));
    const meanwhile = events.append(anEvent("acme", "p-1", { messageId: "meanwhile" }));
    expect(await Promise.all([batch, meanwhile])).toEqual([Array(500).fill(true), true]);
    expect(commits).not.toHaveBeenCalled();
    // The thread is idle again: a single event commits here.
    expect(await events.append(anEvent("acme", "p-1", { messageId: "alone" }))).toBe(true);
    expect(commits).toHaveBeenCalledTimes(1);
    // Retention's chunks go to the thread, whatever their size today.
    expect(await events.deleteOlderThan("acme", Number.MAX_SAFE_INTEGER)).toBe(502);
    expect(commits).toHaveBeenCalledTimes(1);
    await nudge.stop();
  });

  it("if the writer thread dies, writes in flight fail as unavailable (never half-acknowledged) and later ones go through the main connection", async () => {
    const { nudge, db } = await startSqlite();
    const events = nudge.resolve(Tokens.EventStore);
    expect(await events.append(anEvent("acme", "p-w", { messageId: "before" }))).toBe(true);
    const worker = (db as unknown as { writer: { worker: { terminate(): Promise<number> } } }).writer.worker;
    const inFlight = events.appendMany(Array.from({ length: 100 }, (_, i) => anEvent("acme", "p-w", { messageId: `during-${i}` })));
    await worker.terminate();
    const outcome = await inFlight.then(
      () => "stored",
      (e: unknown) => e,
    );
    // Either the thread committed it before it was stopped, or the caller hears the store is unavailable.
    if (outcome !== "stored") expect(outcome).toBeInstanceOf(StorageUnavailableError);
    expect(db.eventsWrittenInBackground).toBe(false);
    expect(await events.append(anEvent("acme", "p-w", { messageId: "after" }))).toBe(true);
    expect(await events.getByMessageId("acme", "after")).not.toBeNull();
    expect(await events.getByMessageId("acme", "before")).not.toBeNull();
    await nudge.stop();
  });

  it('an in-memory database, and eventWriter "inline", write the event log on the main connection', async () => {
    for (const config of [{ path: ":memory:" }, { eventWriter: "inline" as const }]) {
      const { nudge, db } = await startSqlite(config);
      expect(db.eventsWrittenInBackground).toBe(false);
      const events = nudge.resolve(Tokens.EventStore);
      expect(await events.append(anEvent("acme", "p-m", { messageId: "x" }))).toBe(true);
      expect(await events.append(anEvent("acme", "p-m", { messageId: "x" }))).toBe(false);
      await nudge.stop();
    }
  });
});

describe("storage-sqlite: two instances on one file", () => {
  it("each with its writer thread, concurrent batches and single events all land, none refused for a lock", async () => {
    const first = await startSqlite();
    const second = await startSqlite({ path: first.path });
    const stores = [first, second].map((s) => s.nudge.resolve(Tokens.EventStore));
    const writes: Promise<unknown>[] = [];
    for (let round = 0; round < 10; round++) {
      stores.forEach((events, n) => {
        writes.push(events.appendMany(Array.from({ length: 200 }, (_, i) => anEvent("acme", `p-${i % 13}`, { messageId: `b-${n}-${round}-${i}` }))));
        for (let i = 0; i < 5; i++) writes.push(events.append(anEvent("acme", "p-single", { messageId: `s-${n}-${round}-${i}` })));
      });
    }
    const settled = await Promise.allSettled(writes);
    expect(settled.filter((s) => s.status === "rejected")).toEqual([]);
    const raw = new Database(eventLogPath(first.path), { readonly: true });
    expect(raw.prepare("SELECT COUNT(*) FROM events").pluck().get()).toBe(2 * 10 * (200 + 5));
    raw.close();
    await Promise.all([first.nudge.stop(), second.nudge.stop()]);
  });
});
