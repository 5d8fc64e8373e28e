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
  await lockPerson(q, message);
  // The stored copy and every limit's count in one round trip.
  const params: unknown[] = [message.workspaceId, message.id];
  const [stored] = await q.query<{ status: Message["status"]; n: number } & Counts>(
    `SELECT status, jsonb_array_length(attempts) AS n${countColumns(params, message, limits)} FROM messages WHERE workspace_id = $1 AND id = $2 FOR UPDATE`,
    params,
  );
  return claimRefusedByStatus(stored, message) ?? limitVerdict(stored!, limits);
}

/**
 * checkClaim for a message not stored yet (MessageStore.insertClaimed): the id holding its key, if any,
 * else the limits' verdict. The caller inserts on a claim, in the same transaction.
 */
export async function checkNewClaim(q: Queryable, message: Message, limits: SendLimit[]): Promise<SendClaim | { taken: string }> {
  await lockPerson(q, message);
  const params: unknown[] = [message.workspaceId, message.idempotencyKey];
  const [row] = await q.query<{ taken: string | null } & Counts>(
    `SELECT (SELECT id FROM messages WHERE workspace_id = $1 AND idempotency_key = $2) AS taken${countColumns(params, message, limits)}`,
    params,
  );
  return row!.taken !== null ? { taken: row!.taken } : limitVerdict(row!, limits);
}

type Counts = Record<`c${number}`, number>;

// Its own statement: the next one's snapshot must be taken after the lock is held.
async function lockPerson(q: Queryable, message: Message): Promise<void> {
  await q.query("SELECT pg_advisory_xact_lock($1::bigint)", [personLock(message.workspaceId, message.profileId)]);
}

/** One column per limit, `c0`, `c1`…: the count of the person's other messages against it (parameters added to `params`). */
function countColumns(params: unknown[], message: Message, limits: SendLimit[]): string {
  return limits.map((limit, i) => `, (SELECT COUNT(*)::int FROM messages WHERE ${whereCountedByLimit(new Where("$n", params), message, limit, columns)}) AS c${i}`).join("");
}

/** The first limit (in order) its count reaches refuses; else a claim. */
function limitVerdict(counts: Counts, limits: SendLimit[]): SendClaim {
  for (let i = 0; i < limits.length; i++) {
    const count = counts[`c${i}`] ?? 0;
    if (count >= limits[i]!.max) return { claimed: false, reason: "limit", limitId: limits[i]!.id, count };
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
