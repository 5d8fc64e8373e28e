import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createNudge, PluginConfigError, PluginLifecycleError, silentLogger, StorageUnavailableError, type Nudge } from "@nudge/core";
import { SQLITE_MIGRATIONS, storageSqlite } from "@nudge/storage-sqlite";
import { dbPath, startSqlite, tempDir } from "./sqlite-test-env.js";

async function startError(path: string): Promise<PluginLifecycleError> {
  const nudge = await createNudge({ workspace: "acme", plugins: [storageSqlite({ path })], logger: silentLogger() });
  const error = await nudge.start().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PluginLifecycleError);
  return error as PluginLifecycleError;
}

describe("storage-sqlite start", () => {
  it("creates the folder and file, in WAL mode with full fsync, and records the migrations", async () => {
    const { nudge, path } = await startSqlite();
    await nudge.stop();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.prepare("SELECT version FROM nudge_migrations ORDER BY version").pluck().all()).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    raw.close();
  });

  it("starting again applies nothing and keeps the data", async () => {
    const path = dbPath();
    const first = await startSqlite({ path });
    await first.nudge.track({ userId: "u1", event: "signed_up", messageId: "m-keep" });
    await first.nudge.stop();
    const second = await startSqlite({ path });
    expect((await second.nudge.profiles.find({ userId: "u1" }))?.userId).toBe("u1");
    await second.nudge.stop();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare("SELECT COUNT(*) FROM nudge_migrations").pluck().get()).toBe(SQLITE_MIGRATIONS.length);
    raw.close();
  });

  it("a corrupt file fails start() with an error naming the file", async () => {
    const path = join(tempDir(), "corrupt", "nudge.db");
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, "this is not a database, just text that happens to be long enough ".repeat(100));
    const error = await startError(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a database/);
    expect(error.cause).toBeInstanceOf(StorageUnavailableError);
  });

  it("a location that cannot hold a file fails start() naming it", async () => {
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "x");
    const path = join(blocker, "nudge.db");
    const error = await startError(path);
    expect(error.message).toContain(path);
    expect(error.cause).toBeInstanceOf(StorageUnavailableError);
  });

  it("a database written by a newer version is refused rather than misread", async () => {
    const path = dbPath();
    const { nudge } = await startSqlite({ path });
    await nudge.stop();
    const raw = new Database(path);
    raw.prepare("INSERT INTO nudge_migrations (version, name, applied_at) VALUES (999, 'future', 0)").run();
    raw.close();
    const error = await startError(path);
    expect(error.message).toMatch(/schema is at version 999, newer than this version of @nudge\/storage-sqlite knows/);
  });

  it("bad settings are refused before anything opens, naming the field", async () => {
    const make = (config: unknown) => createNudge({ workspace: "acme", plugins: [storageSqlite(config as never)], logger: silentLogger() });
    await expect(make({ synchronous: "off" })).rejects.toBeInstanceOf(PluginConfigError);
    await expect(make({ synchronous: "off" })).rejects.toThrow(/storage-sqlite.*synchronous/);
    await expect(make({ groupCommit: { windowMs: -1 } })).rejects.toThrow(/groupCommit\.windowMs/);
    await expect(make({ pth: "x.db" })).rejects.toThrow(/pth|Unrecognized/);
  });

  it("readiness: ping answers while open and fails with StorageUnavailableError once closed; close is idempotent", async () => {
    const { nudge, db } = await startSqlite();
    await expect(db.ping()).resolves.toBeUndefined();
    await nudge.stop();
    await expect(db.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
    db.close();
    const stopped: Nudge = nudge;
    await expect(stopped.stop()).resolves.toBeUndefined();
  });
});
