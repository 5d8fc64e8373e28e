import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, type Nudge } from "@nudge/core";
import { storageSqlite, type SqliteDatabase, type SqliteStorageConfigInput } from "@nudge/storage-sqlite";

const dir = mkdtempSync(join(tmpdir(), "nudge-sqlite-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A fresh database path in this file's temporary folder. */
export const dbPath = (): string => join(dir, `db-${++n}`, "nudge.db");
export const tempDir = (): string => dir;

/** A started instance on its own file; `db` is the plugin's connection (its readiness probe). */
export async function startSqlite(config: SqliteStorageConfigInput = {}): Promise<{ nudge: Nudge; db: SqliteDatabase; path: string }> {
  const path = config.path ?? dbPath();
  const nudge = await createNudge({ workspace: "acme", plugins: [storageSqlite({ ...config, path })], logger: silentLogger(), clock: new FakeClock() });
  await nudge.start();
  return { nudge, db: nudge.resolve(Tokens.StorageHealth) as SqliteDatabase, path };
}
