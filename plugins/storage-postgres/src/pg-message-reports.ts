import { createHash } from "node:crypto";
import type { Message, SendClaim, SendLimit, SpendQuery, SpendRow } from "@nudge/core";
import { claimRefusedByStatus, Where, whereCountedByLimit } from "@nudge/storage-sql-common";
import { columns } from "./codec.js";
import type { Queryable } from "./pg-database.js";

/** A 64-bit advisory-lock key per person: claims for one person queue up, other people's run in parallel. */
function personLock(ws: string, profileId: string): string {
  return createHash("sha256").update(`nudge.claim\u0000${ws}\u0000${profileId}`).digest().readBigInt64BE(0).toString();
}

/**
 * Whether `message` may be claimed for sending (see MessageStore.claimSend). Runs in the caller's
 * transaction after taking the person's advisory lock, which holds until COMMIT: concurrent claims for
 * one person — in this process or another — count each other's committed "sending" rows.
 */
export async function checkClaim(q: Queryable, message: Message, limits: SendLimit[]): Promise<SendClaim> {
  await q.query("SELECT pg_advisory_xact_lock($1::bigint)", [personLock(message.workspaceId, message.profileId)]);
  const [stored] = await q.query<{ status: Message["status"]; n: number }>(
    "SELECT status, jsonb_array_length(attempts) AS n FROM messages WHERE workspace_id = $1 AND id = $2 FOR UPDATE",
    [message.workspaceId, message.id],
  );
  const refused = claimRefusedByStatus(stored, message);
  if (refused) return refused;
  for (const limit of limits) {
    const where = whereCountedByLimit(new Where("$n"), message, limit, columns);
    const [row] = await q.query<{ n: number }>(`SELECT COUNT(*) AS n FROM messages WHERE ${where}`, where.params);
    const count = row?.n ?? 0;
    if (count >= limit.max) return { claimed: false, reason: "limit", limitId: limit.id, count };
  }
  return { claimed: true };
}

/** Spend per (journey, step, attempt channel, currency), from the attempts that recorded a cost. */
export async function spend(q: Queryable, ws: string, query: SpendQuery): Promise<SpendRow[]> {
  const where = new Where("$n").add("m.workspace_id = ?", ws).add("jsonb_typeof(a -> 'cost') = 'object'").eq("m.journey_id", query.journeyId);
  if (query.from !== undefined) where.add("(a ->> 'at')::float8 >= ?", query.from);
  if (query.to !== undefined) where.add("(a ->> 'at')::float8 < ?", query.to);
  return q.query<SpendRow>(
    `SELECT m.journey_id AS "journeyId", m.step_id AS "stepId", a ->> 'channel' AS channel, a -> 'cost' ->> 'currency' AS currency,
       SUM((a -> 'cost' ->> 'amount')::float8) AS amount, COUNT(*) AS attempts, COUNT(DISTINCT m.id) AS messages
     FROM messages m CROSS JOIN LATERAL jsonb_array_elements(m.attempts) AS a WHERE ${where} GROUP BY 1, 2, 3, 4`,
    where.params,
  );
}
