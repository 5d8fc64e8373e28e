import type { InsertClaim, Message, MessageCountQuery, MessageQuery, MessageStore, Page, SendClaim, SendLimit, SpendQuery, SpendRow } from "@nudge/core";
import { decodeCursor, MESSAGE_COLUMN_NAMES, TimeIdCursor, toPage, Where, whereListed, whereSent, type MessageRow } from "@nudge/storage-sql-common";
import { codec, columns, type PgColumns } from "./codec.js";
import { InsertBatcher } from "./insert-batcher.js";
import type { PgDatabase, Queryable } from "./pg-database.js";
import { checkClaim, insertNewClaim, limitVerdict, lockStatement, personLockKey, spend, type ClaimRow, type NewClaimRow } from "./pg-message-reports.js";

type Row = MessageRow<PgColumns>;

const COLUMNS = MESSAGE_COLUMN_NAMES.join(", ");
const PLACEHOLDERS = MESSAGE_COLUMN_NAMES.map((_, i) => `$${i + 1}`).join(", ");
const M = MESSAGE_COLUMN_NAMES.map((c) => `m.${c}`).join(", ");
/** The message's columns selected from a CTE `c`, completed by the conditions (see insertNewClaim). */
const INSERT_SELECTED = `INSERT INTO messages (${COLUMNS}) SELECT ${PLACEHOLDERS} FROM c WHERE`;
/** The parameter after a message's columns: its provider ids (see providerIds). */
const PROVIDER_IDS = MESSAGE_COLUMN_NAMES.length + 1;
/** Completed by `FROM <cte> CROSS JOIN unnest(ids) AS p`: the CTE's row id with each provider id. */
const INSERT_PROVIDER_IDS = "INSERT INTO message_provider_ids (workspace_id, provider_message_id, message_id) SELECT $1, p, id";

/** Each message column's type, for the batched write's `unnest` of one array per column. */
const COLUMN_TYPES: Record<string, string> = {
  workspace_id: "text", id: "text", idempotency_key: "text", profile_id: "text", journey_id: "text", journey_version: "integer", step_id: "text",
  enrollment_id: "text", channels: "jsonb", channel: "text", marketing: "boolean", topic: "text", status: "text", recipient: "text", content: "jsonb",
  attempts: "jsonb", decisions: "jsonb", not_before: "bigint", created_at: "bigint", updated_at: "bigint", sent_at: "bigint",
};
const ARRAYS = MESSAGE_COLUMN_NAMES.map((c, i) => {
  const type = COLUMN_TYPES[c];
  if (type === undefined) throw new Error(`storage-postgres: no type for message column ${c}`);
  return `$${i + 1}::${type}[]`;
}).join(", ");
const UPSERT_SET = MESSAGE_COLUMN_NAMES.slice(2).map((c) => `${c} = EXCLUDED.${c}`).join(", ");
const N = MESSAGE_COLUMN_NAMES.length;
/**
 * Many messages' rows replaced in one statement, their provider ids added: one array per column, then the
 * (workspace, message, provider id) triples. The text never changes, so it is prepared once per connection.
 */
const UPSERT_MANY = `WITH up AS (INSERT INTO messages (${COLUMNS}) SELECT * FROM unnest(${ARRAYS})
    ON CONFLICT (workspace_id, id) DO UPDATE SET ${UPSERT_SET} RETURNING workspace_id, id)
  INSERT INTO message_provider_ids (workspace_id, provider_message_id, message_id)
    SELECT up.workspace_id, p.pid, up.id FROM unnest($${N + 1}::text[], $${N + 2}::text[], $${N + 3}::text[]) AS p(ws, mid, pid)
    JOIN up ON up.workspace_id = p.ws AND up.id = p.mid
  ON CONFLICT DO NOTHING`;

/** A claim (insertClaimed's or claimSend's), built when called: its person's lock, and its work in the group's transaction. */
interface ClaimWrite {
  lock: bigint;
  run: (q: Queryable) => Promise<unknown>;
}

/** A message's row as parameters, taken when `update` is called (the caller may change its object later). */
interface RowWrite {
  params: unknown[];
  providerIds: string[];
}

/** The distinct provider ids of a message's attempts (an empty array adds none). */
function providerIds(m: Message): string[] {
  const ids: string[] = [];
  for (const a of m.attempts) if (a.providerMessageId !== undefined && !ids.includes(a.providerMessageId)) ids.push(a.providerMessageId);
  return ids;
}

const UPSERT = `WITH up AS (INSERT INTO messages (${COLUMNS}) VALUES (${PLACEHOLDERS})
    ON CONFLICT (workspace_id, id) DO UPDATE SET ${UPSERT_SET} RETURNING id)
  ${INSERT_PROVIDER_IDS} FROM up CROSS JOIN unnest($${PROVIDER_IDS}::text[]) AS p ON CONFLICT DO NOTHING`;

/**
 * Replaces the row and adds its new provider ids, in one statement (part of a claim's transaction), built
 * when called. Attempts only ever grow, so ids are added, never deleted here; a lookup by provider id still
 * checks the row's attempts (see findByProviderMessageId), so a replaced row that dropped an attempt is not
 * found through it. (UPSERT_MANY does the same for many rows.)
 */
function upsertStatement(message: Message): { sql: string; params: unknown[] } {
  return { sql: UPSERT, params: [...codec.messageParams(message), providerIds(message)] };
}

/** The message log: one row per logical message, its attempts and policy decisions as JSONB. */
export class PgMessageStore implements MessageStore {
  /**
   * Group commit of `update`: concurrent sends' results (the second of a send's two writes) go out together,
   * one statement and one WAL flush for many of them, instead of a commit each.
   */
  private readonly updates: InsertBatcher<RowWrite, void>;
  /**
   * Group commit of the claims that count limits (and of every claimSend): concurrent ones run in one transaction
   * that takes all their people's locks first, then each claim's statements, and one COMMIT (one WAL flush) for all.
   */
  private readonly claims: InsertBatcher<ClaimWrite, unknown>;

  constructor(private readonly db: PgDatabase) {
    this.updates = new InsertBatcher((writes) => this.upsertMany(writes), db.config.groupCommit);
    this.claims = new InsertBatcher((writes) => this.claimMany(writes), db.config.groupCommit);
  }

  /** Waits for claims and updates on their way: called before the pool closes. */
  async flush(): Promise<void> {
    await Promise.all([this.claims.drain(), this.updates.drain()]);
  }

  async insert(message: Message): Promise<{ message: Message; inserted: boolean }> {
    // The caller's own object back when it is stored: the row is serialised, so nothing is shared.
    if (await this.add(this.db, message)) return { message, inserted: true };
    const stored = await this.getByKey(message.workspaceId, message.idempotencyKey);
    // Our own row: a retry after a connection lost at COMMIT finds what the first try stored.
    if (stored?.id === message.id) return { message, inserted: true };
    return { message: stored ?? structuredClone(message), inserted: false };
  }

  async insertClaimed(message: Message, limits: SendLimit[]): Promise<InsertClaim> {
    let taken: string | null;
    if (limits.length === 0) {
      // Nothing to count, so no lock: the key's unique index alone makes the insert the claim.
      taken = (await this.add(this.db, message)) ? null : "";
    } else {
      // In a transaction with other concurrent claims (see claimMany): BEGIN with the people's locks, then one
      // statement per claim that reads, counts and inserts, then COMMIT.
      const statement = insertNewClaim(message, limits, INSERT_SELECTED, `${INSERT_PROVIDER_IDS} FROM ins CROSS JOIN unnest($${PROVIDER_IDS}::text[]) AS p ON CONFLICT DO NOTHING`, [
        ...codec.messageParams(message),
        providerIds(message),
      ]);
      const run = async (q: Queryable) => (await q.query<NewClaimRow>(statement.sql, statement.params))[0]!;
      const [row] = (await this.claims.submit([{ lock: personLockKey(message), run }])) as [NewClaimRow];
      if (row.inserted === 1) return { claimed: true };
      // Free but not inserted: a limit refused, or another person's concurrent insert took the key meanwhile.
      const verdict = row.taken === null ? limitVerdict(row, limits) : null;
      if (verdict && !verdict.claimed) return verdict;
      taken = row.taken ?? "";
    }
    if (taken === null) return { claimed: true };
    // A retried call (its first try committed before the connection was lost) finds its own id.
    if (taken === message.id) return { claimed: true };
    const stored = await this.getByKey(message.workspaceId, message.idempotencyKey);
    if (stored?.id === message.id) return { claimed: true };
    return stored ? { claimed: false, reason: "duplicate", message: stored } : { claimed: false, reason: "status", status: "failed" };
  }

  /**
   * Inserts the row and its provider ids unless its key is taken, in one statement (atomic on its own,
   * so no BEGIN and COMMIT round trips outside a transaction); whether it did.
   */
  private async add(q: Queryable, message: Message): Promise<boolean> {
    const [r] = await q.query<{ n: number }>(
      `WITH ins AS (INSERT INTO messages (${COLUMNS}) VALUES (${PLACEHOLDERS}) ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING id),
         ids AS (${INSERT_PROVIDER_IDS} FROM ins CROSS JOIN unnest($${PROVIDER_IDS}::text[]) AS p ON CONFLICT DO NOTHING)
       SELECT COUNT(*)::int AS n FROM ins`,
      [...codec.messageParams(message), providerIds(message)],
    );
    return r?.n === 1;
  }

  async get(ws: string, id: string): Promise<Message | null> {
    return this.one(`SELECT ${COLUMNS} FROM messages WHERE workspace_id = $1 AND id = $2`, [ws, id]);
  }

  async getByKey(ws: string, idempotencyKey: string): Promise<Message | null> {
    return this.one(`SELECT ${COLUMNS} FROM messages WHERE workspace_id = $1 AND idempotency_key = $2`, [ws, idempotencyKey]);
  }

  async update(message: Message): Promise<void> {
    // Serialised now: the caller may change its object again before the batch goes out.
    await this.updates.submit([{ params: codec.messageParams(message), providerIds: providerIds(message) }]);
  }

  async claimSend(message: Message, limits: SendLimit[]): Promise<SendClaim> {
    // In a transaction with other concurrent claims (see claimMany): the check, then the row if claimed.
    const check = checkClaim(message, limits);
    const write = upsertStatement(message);
    const run = async (q: Queryable): Promise<SendClaim> => {
      const [stored] = await q.query<ClaimRow>(check.sql, check.params);
      const verdict = check.verdict(stored);
      if (verdict.claimed) await q.query(write.sql, write.params);
      return verdict;
    };
    const [verdict] = (await this.claims.submit([{ lock: personLockKey(message), run }])) as [SendClaim];
    return verdict;
  }

  async spend(ws: string, query: SpendQuery): Promise<SpendRow[]> {
    return spend(this.db, ws, query);
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    await this.db.query("UPDATE messages SET profile_id = $3 WHERE workspace_id = $1 AND profile_id = $2", [ws, fromProfileId, toProfileId]);
  }

  /**
   * The batch of claims in one transaction. Every person's lock is taken first, in one order (so two batches never
   * deadlock on them), and held to COMMIT; the claims then run one after another, so each counts the ones before it.
   * A claim that fails aborts the transaction: the batcher then runs each claim in a transaction of its own.
   */
  private async claimMany(writes: ClaimWrite[]): Promise<unknown[]> {
    return this.db.tx(
      async (q) => {
        const results: unknown[] = [];
        for (const w of writes) results.push(await w.run(q));
        return results;
      },
      { begin: lockStatement(...writes.map((w) => w.lock)) },
    );
  }

  /**
   * The batch of `update`s in one statement. Writes of one message keep call order: the last one's row is
   * stored, as if they ran one after another, and the provider ids of all of them are added.
   */
  private async upsertMany(writes: RowWrite[]): Promise<void[]> {
    const last = new Map<string, RowWrite>();
    for (const w of writes) last.set(`${w.params[0] as string}\u0000${w.params[1] as string}`, w);
    // Rows in key order: two such statements in flight lock the rows they share in one order, never in a cycle.
    const rows = [...last.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w);
    const arrays: unknown[][] = MESSAGE_COLUMN_NAMES.map(() => []);
    for (const w of rows) for (let i = 0; i < N; i++) arrays[i]!.push(w.params[i]);
    const ids: string[][] = [[], [], []];
    for (const w of writes) {
      for (const pid of w.providerIds) {
        ids[0]!.push(w.params[0] as string);
        ids[1]!.push(w.params[1] as string);
        ids[2]!.push(pid);
      }
    }
    await this.db.query(UPSERT_MANY, [...arrays, ...ids]);
    return writes.map(() => undefined);
  }

  async list(ws: string, q: MessageQuery): Promise<Page<Message>> {
    const where = whereListed(new Where("$n"), ws, q);
    if (q.cursor) {
      const [createdAt, id] = decodeCursor(q.cursor, TimeIdCursor);
      where.add("(created_at, id) < (?, ?)", createdAt, id);
    }
    const limit = where.param(q.limit + 1);
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM messages WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit}`, where.params);
    return toPage(rows, q.limit, codec.message, (m) => [m.createdAt, m.id]);
  }

  async countSent(ws: string, q: MessageCountQuery): Promise<number> {
    const where = whereSent(new Where("$n"), ws, q, columns);
    const [r] = await this.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM messages WHERE ${where}`, where.params);
    return r?.n ?? 0;
  }

  async findByProviderMessageId(ws: string, providerMessageId: string): Promise<Message | null> {
    return this.one(
      `SELECT ${M} FROM message_provider_ids p JOIN messages m ON m.workspace_id = p.workspace_id AND m.id = p.message_id
       WHERE p.workspace_id = $1 AND p.provider_message_id = $2 AND m.attempts @> jsonb_build_array(jsonb_build_object('providerMessageId', $2::text)) LIMIT 1`,
      [ws, providerMessageId],
    );
  }

  async redactByProfile(ws: string, profileId: string): Promise<number> {
    const rows = await this.db.query(
      "UPDATE messages SET content = NULL, recipient = NULL WHERE workspace_id = $1 AND profile_id = $2 AND (content IS NOT NULL OR recipient IS NOT NULL) RETURNING 1",
      [ws, profileId],
    );
    return rows.length;
  }

  async redactOlderThan(ws: string, before: number): Promise<number> {
    const chunk = this.db.config.deleteChunk;
    let total = 0;
    for (;;) {
      const [r] = await this.db.query<{ n: number }>(
        `WITH done AS (UPDATE messages SET content = NULL, recipient = NULL WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM messages WHERE workspace_id = $1 AND created_at < $2 AND (content IS NOT NULL OR recipient IS NOT NULL) LIMIT ${chunk})) RETURNING 1)
         SELECT COUNT(*) AS n FROM done`,
        [ws, before],
      );
      total += r?.n ?? 0;
      if ((r?.n ?? 0) < chunk) return total;
    }
  }

  async deleteOlderThan(ws: string, before: number): Promise<number> {
    const chunk = this.db.config.deleteChunk;
    let total = 0;
    for (;;) {
      const [r] = await this.db.query<{ n: number }>(
        `WITH gone AS (DELETE FROM messages WHERE ctid = ANY(ARRAY(SELECT ctid FROM messages WHERE workspace_id = $1 AND created_at < $2 LIMIT ${chunk}))
           RETURNING id),
         ids AS (DELETE FROM message_provider_ids p USING gone WHERE p.workspace_id = $1 AND p.message_id = gone.id)
         SELECT COUNT(*) AS n FROM gone`,
        [ws, before],
      );
      total += r?.n ?? 0;
      if ((r?.n ?? 0) < chunk) return total;
    }
  }

  private async one(sql: string, params: unknown[]): Promise<Message | null> {
    const [row] = await this.db.query<Row>(sql, params);
    return row ? codec.message(row) : null;
  }
}
