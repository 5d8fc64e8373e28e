import type { Message, SendClaim, SendLimit, SpendQuery, SpendRow } from "@nudge/core";
import { claimRefusedByStatus, Where, whereCountedByLimit } from "@nudge/storage-sql-common";
import { columns } from "./codec.js";
import type { SqliteDatabase } from "./sqlite-database.js";

/**
 * Whether `message` may be claimed for sending: the stored copy is still queued or deferred with the
 * same number of attempts, and no limit is reached. Runs inside the caller's write transaction, whose
 * lock serialises every claim, so the check and the write that follows are one atomic step.
 */
export function checkClaim(db: SqliteDatabase, message: Message, limits: SendLimit[]): SendClaim {
  const stored = db.stmt("SELECT status, json_array_length(attempts) AS n FROM messages WHERE workspace_id = ? AND id = ?").get(message.workspaceId, message.id) as
    | { status: Message["status"]; n: number }
    | undefined;
  return claimRefusedByStatus(stored, message) ?? checkLimits(db, message, limits);
}

/** The first limit (in order) the person's other messages reach, or a claim. Inside the caller's write transaction. */
export function checkLimits(db: SqliteDatabase, message: Message, limits: SendLimit[]): SendClaim {
  for (const limit of limits) {
    const where = whereCountedByLimit(new Where("?"), message, limit, columns);
    const count = db.stmt(`SELECT COUNT(*) FROM messages WHERE ${where}`).pluck().get(...where.params) as number;
    if (count >= limit.max) return { claimed: false, reason: "limit", limitId: limit.id, count };
  }
  return { claimed: true };
}

/** Spend per (journey, step, attempt channel, currency), from the attempts that recorded a cost. */
export function spend(db: SqliteDatabase, ws: string, q: SpendQuery): SpendRow[] {
  const where = new Where("?").add("m.workspace_id = ?", ws).add("json_type(a.value, '$.cost') = 'object'").eq("m.journey_id", q.journeyId);
  if (q.from !== undefined) where.add("json_extract(a.value, '$.at') >= ?", q.from);
  if (q.to !== undefined) where.add("json_extract(a.value, '$.at') < ?", q.to);
  return db.guard(
    () =>
      db
        .stmt(
          `SELECT m.journey_id AS journeyId, m.step_id AS stepId, json_extract(a.value, '$.channel') AS channel,
             json_extract(a.value, '$.cost.currency') AS currency, TOTAL(json_extract(a.value, '$.cost.amount')) AS amount,
             COUNT(*) AS attempts, COUNT(DISTINCT m.id) AS messages
           FROM messages m, json_each(m.attempts) a WHERE ${where} GROUP BY 1, 2, 3, 4`,
        )
        .all(...where.params) as SpendRow[],
  );
}
