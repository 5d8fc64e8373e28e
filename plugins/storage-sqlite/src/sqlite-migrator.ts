import type Database from "better-sqlite3";
import { pendingMigrations } from "@nudge/storage-sql-common";
import { MIGRATIONS } from "./migrations.js";

/**
 * Applies the migrations this file lacks, in one IMMEDIATE transaction: a second process opening the
 * same file waits for the lock, then finds them applied. Returns the versions applied now.
 */
export function migrate(db: Database.Database, now: number): number[] {
  return db
    .transaction(() => {
      db.exec("CREATE TABLE IF NOT EXISTS nudge_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
      const row = db.prepare("SELECT MAX(version) AS v FROM nudge_migrations").get() as { v: number | null };
      const current = row.v ?? 0;
      const pending = pendingMigrations(MIGRATIONS, current, "@nudge/storage-sqlite");
      const applied: number[] = [];
      const record = db.prepare("INSERT INTO nudge_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      for (const m of pending) {
        db.exec(m.sql);
        record.run(m.version, m.name, now);
        applied.push(m.version);
      }
      return applied;
    })
    .immediate();
}
