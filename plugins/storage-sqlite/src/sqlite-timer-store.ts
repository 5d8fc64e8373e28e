import type { Timer, TimerStore } from "@nudge/core";
import { byDue, TIMER_COLUMNS, toJson, type TimerRow } from "@nudge/storage-sql-common";
import { codec, type SqliteColumns } from "./codec.js";
import type { SqliteDatabase } from "./sqlite-database.js";

type Row = TimerRow<SqliteColumns>;

/**
 * Durable timers. A claim is a lease (leased_until): the claiming UPDATE runs under SQLite's single
 * write lock, so two workers — even two processes on one file — never lease the same timer at once.
 */
export class SqliteTimerStore implements TimerStore {
  constructor(private readonly db: SqliteDatabase) {}

  async schedule(t: Timer): Promise<void> {
    await this.db.write(() =>
      this.db
        .stmt(
          `INSERT INTO timers (workspace_id, id, due_at, kind, payload, leased_until) VALUES (?, ?, ?, ?, ?, 0)
           ON CONFLICT (workspace_id, id) DO UPDATE SET due_at = excluded.due_at, kind = excluded.kind, payload = excluded.payload, leased_until = 0`,
        )
        .run(t.workspaceId, t.id, t.dueAt, t.kind, toJson(t.payload)),
    );
  }

  async cancel(ws: string, id: string): Promise<void> {
    await this.db.write(() => this.db.stmt("DELETE FROM timers WHERE workspace_id = ? AND id = ?").run(ws, id));
  }

  async get(ws: string, id: string): Promise<Timer | null> {
    const r = this.db.guard(() => this.db.stmt(`SELECT ${TIMER_COLUMNS} FROM timers WHERE workspace_id = ? AND id = ?`).get(ws, id) as Row | undefined);
    return r ? codec.timer(r) : null;
  }

  async claimDue(ws: string, now: number, limit: number, leaseMs: number): Promise<Timer[]> {
    const rows = await this.db.write(
      () =>
        this.db
          .stmt(
            `UPDATE timers SET leased_until = ?
             WHERE rowid IN (SELECT rowid FROM timers WHERE workspace_id = ? AND due_at <= ? AND leased_until <= ? ORDER BY due_at, id LIMIT ?)
             RETURNING ${TIMER_COLUMNS}`,
          )
          .all(now + leaseMs, ws, now, now, limit) as Row[],
    );
    // RETURNING gives rows in no promised order.
    return rows.map(codec.timer).sort(byDue);
  }

  async complete(ws: string, id: string, claimedDueAt: number): Promise<void> {
    // leased_until > 0: a timer rescheduled after the claim (lease reset) is a new schedule and stays.
    await this.db.write(() => this.db.stmt("DELETE FROM timers WHERE workspace_id = ? AND id = ? AND due_at = ? AND leased_until > 0").run(ws, id, claimedDueAt));
  }

  async nextDueAt(ws: string): Promise<number | null> {
    return this.db.guard(() => (this.db.stmt("SELECT MIN(due_at) AS t FROM timers WHERE workspace_id = ?").get(ws) as { t: number | null }).t);
  }
}
