import { createHash } from "node:crypto";
import type { Message, SendClaim, SendLimit, SpendQuery, SpendRow } from "@nudge/core";
import { claimRefusedByStatus, Where, whereCountedByLimit } from "@nudge/storage-sql-common";
import { columns } from "./codec.js";
import type { Queryable } from "./pg-database.js";

/**
 * The 64-bit advisory lock key of a message's person. Claims take it with BEGIN (PgDatabase.tx `begin`, see
 * lockStatement): claims for one person queue up, other people's run in parallel.
 */
export function personLockKey(message: Message): bigint {
  return createHash("sha256").update(`nudge.claim\u0000${message.workspaceId}\u0000${message.profileId}`).digest().readBigInt64BE(0);
}

/**
 * The statements that take these advisory locks, in ascending key order. Keys are written as literals (digits
 * only) so they can share BEGIN's round trip, which takes no parameters.
 */
export function lockStatement(...keys: bigint[]): string {
  // One order for every transaction that takes several: two never wait for each other's locks in a cycle.
  const sorted = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.map((k) => `SELECT pg_advisory_xact_lock(${k.toString()})`).join("; ");
}

/**
 * Whether `message` may be claimed for sending (see MessageStore.claimSend), as a statement to run in a
 * transaction that took the person's lock first (personLockKey), which holds until COMMIT: its snapshot is
 * taken after it, so concurrent claims for one person — in this process or another — count each other's
 * committed "sending" rows. The stored copy and every limit's count come in one round trip. Built when
 * called: `verdict` reads the answer against the message as it was then.
 */
export function checkClaim(message: Message, limits: SendLimit[]): { sql: string; params: unknown[]; verdict: (row: ClaimRow | undefined) => SendClaim } {
  const params: unknown[] = [message.workspaceId, message.id];
  const sql = `SELECT status, jsonb_array_length(attempts) AS n${countColumns(params, message, limits)} FROM messages WHERE workspace_id = $1 AND id = $2 FOR UPDATE`;
  const asCalled = { ...message, attempts: message.attempts.slice() };
  return { sql, params, verdict: (stored) => claimRefusedByStatus(stored, asCalled) ?? limitVerdict(stored!, limits) };
}

/** The stored copy's status and attempts, and the counts (see checkClaim). */
export type ClaimRow = { status: Message["status"]; n: number } & Counts;

/** What insertNewClaim found and did: the id holding the key (null if it was free), the counts, and whether it inserted. */
export type NewClaimRow = { taken: string | null; inserted: number } & Counts;

/**
 * MessageStore.insertClaimed's one statement, to run in a transaction that took the person's lock first
 * (see checkClaim): the id holding the key, every limit's count, and the insert with its provider ids when
 * the key is free and no limit is reached (a NewClaimRow). `insert` is the INSERT of the message's columns, as
 * `INSERT INTO messages (...) SELECT <$1..$n> FROM c WHERE`, its parameters first in `params`.
 */
export function insertNewClaim(message: Message, limits: SendLimit[], insert: string, providerIds: string, params: unknown[]): { sql: string; params: unknown[] } {
  const counts = countColumns(params, message, limits);
  const below = limits.map((l, i) => ` AND c.c${i} < ${new Where("$n", params).param(l.max)}`).join("");
  return {
    sql: `WITH c AS (SELECT (SELECT id FROM messages WHERE workspace_id = $1 AND idempotency_key = $3) AS taken${counts}),
       ins AS (${insert} c.taken IS NULL${below} ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING id),
       ids AS (${providerIds})
     SELECT c.*, (SELECT COUNT(*)::int FROM ins) AS inserted FROM c`,
    params,
  };
}

type Counts = Record<`c${number}`, number>;

/** One column per limit, `c0`, `c1`…: the count of the person's other messages against it (parameters added to `params`). */
function countColumns(params: unknown[], message: Message, limits: SendLimit[]): string {
  return limits.map((limit, i) => `, (SELECT COUNT(*)::int FROM messages WHERE ${whereCountedByLimit(new Where("$n", params), message, limit, columns)}) AS c${i}`).join("");
}

/** The first limit (in order) its count reaches refuses; else a claim. */
export function limitVerdict(counts: Counts, limits: SendLimit[]): SendClaim {
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
