import type { Timer, TimerStore } from "@nudge/core";
import { byDue, TIMER_COLUMNS, toJson, type TimerRow } from "@nudge/storage-sql-common";
import { codec, type PgColumns } from "./codec.js";
import type { PgDatabase } from "./pg-database.js";

type Row = TimerRow<PgColumns>;

/**
 * Durable timers. Claiming locks the due rows with FOR UPDATE SKIP LOCKED and leases them in the same
 * statement: two workers polling at once take disjoint timers and never wait on each other.
 */
export class PgTimerStore implements TimerStore {
  constructor(private readonly db: PgDatabase) {}

  async schedule(t: Timer): Promise<void> {
    await this.db.query(
      `INSERT INTO timers (workspace_id, id, due_at, kind, payload, leased_until) VALUES ($1, $2, $3, $4, $5, 0)
       ON CONFLICT (workspace_id, id) DO UPDATE SET due_at = EXCLUDED.due_at, kind = EXCLUDED.kind, payload = EXCLUDED.payload, leased_until = 0`,
      [t.workspaceId, t.id, t.dueAt, t.kind, toJson(t.payload)],
    );
  }

  async cancel(ws: string, id: string): Promise<void> {
    await this.db.query("DELETE FROM timers WHERE workspace_id = $1 AND id = $2", [ws, id]);
  }

  async get(ws: string, id: string): Promise<Timer | null> {
    const [r] = await this.db.query<Row>(`SELECT ${TIMER_COLUMNS} FROM timers WHERE workspace_id = $1 AND id = $2`, [ws, id]);
    return r ? codec.timer(r) : null;
  }

  async claimDue(ws: string, now: number, limit: number, leaseMs: number): Promise<Timer[]> {
    const rows = await this.db.query<Row>(
      `WITH due AS (
         SELECT id FROM timers WHERE workspace_id = $1 AND due_at <= $2 AND leased_until <= $2
         ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       UPDATE timers t SET leased_until = $4 FROM due WHERE t.workspace_id = $1 AND t.id = due.id
       RETURNING t.workspace_id, t.id, t.due_at, t.kind, t.payload`,
      [ws, now, limit, now + leaseMs],
    );
    // RETURNING gives rows in no promised order.
    return rows.map(codec.timer).sort(byDue);
  }

  async complete(ws: string, id: string, claimedDueAt: number): Promise<void> {
    // leased_until > 0: a timer rescheduled after the claim (lease reset) is a new schedule and stays.
    await this.db.query("DELETE FROM timers WHERE workspace_id = $1 AND id = $2 AND due_at = $3 AND leased_until > 0", [ws, id, claimedDueAt]);
  }

  async nextDueAt(ws: string): Promise<number | null> {
    const [r] = await this.db.query<{ t: number | null }>("SELECT MIN(due_at) AS t FROM timers WHERE workspace_id = $1", [ws]);
    return r?.t ?? null;
  }
}
