import type { Message, MessageCountQuery, MessageQuery, MessageStore, Page, SendClaim, SendLimit, SpendQuery, SpendRow } from "@nudge/core";
import { decodeCursor, MESSAGE_COLUMN_NAMES, TimeIdCursor, toPage, Where, whereListed, whereSent, type MessageRow } from "@nudge/storage-sql-common";
import { codec, columns, type PgColumns } from "./codec.js";
import type { PgDatabase, Queryable } from "./pg-database.js";
import { checkClaim, spend } from "./pg-message-reports.js";

type Row = MessageRow<PgColumns>;

const COLUMNS = MESSAGE_COLUMN_NAMES.join(", ");
const PLACEHOLDERS = MESSAGE_COLUMN_NAMES.map((_, i) => `$${i + 1}`).join(", ");
const M = MESSAGE_COLUMN_NAMES.map((c) => `m.${c}`).join(", ");

/** The message log: one row per logical message, its attempts and policy decisions as JSONB. */
export class PgMessageStore implements MessageStore {
  constructor(private readonly db: PgDatabase) {}

  async insert(message: Message): Promise<{ message: Message; inserted: boolean }> {
    const inserted = await this.db.tx(async (q) => {
      const rows = await q.query(`INSERT INTO messages (${COLUMNS}) VALUES (${PLACEHOLDERS}) ON CONFLICT (workspace_id, idempotency_key) DO NOTHING RETURNING 1`, codec.messageParams(message));
      if (rows.length === 1) await this.indexProviderIds(q, message);
      return rows.length === 1;
    });
    if (inserted) return { message: structuredClone(message), inserted };
    return { message: (await this.getByKey(message.workspaceId, message.idempotencyKey)) ?? structuredClone(message), inserted };
  }

  async get(ws: string, id: string): Promise<Message | null> {
    return this.one(`SELECT ${COLUMNS} FROM messages WHERE workspace_id = $1 AND id = $2`, [ws, id]);
  }

  async getByKey(ws: string, idempotencyKey: string): Promise<Message | null> {
    return this.one(`SELECT ${COLUMNS} FROM messages WHERE workspace_id = $1 AND idempotency_key = $2`, [ws, idempotencyKey]);
  }

  async update(message: Message): Promise<void> {
    await this.db.tx((q) => this.upsert(q, message));
  }

  async claimSend(message: Message, limits: SendLimit[]): Promise<SendClaim> {
    return this.db.tx(async (q) => {
      const verdict = await checkClaim(q, message, limits);
      if (verdict.claimed) await this.upsert(q, message);
      return verdict;
    });
  }

  async spend(ws: string, query: SpendQuery): Promise<SpendRow[]> {
    return spend(this.db, ws, query);
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    await this.db.query("UPDATE messages SET profile_id = $3 WHERE workspace_id = $1 AND profile_id = $2", [ws, fromProfileId, toProfileId]);
  }

  /** Inside a transaction: replaces the row and its provider ids. */
  private async upsert(q: Queryable, message: Message): Promise<void> {
    await q.query(
      `INSERT INTO messages (${COLUMNS}) VALUES (${PLACEHOLDERS})
       ON CONFLICT (workspace_id, id) DO UPDATE SET ${MESSAGE_COLUMN_NAMES.slice(2).map((c) => `${c} = EXCLUDED.${c}`).join(", ")}`,
      codec.messageParams(message),
    );
    await q.query("DELETE FROM message_provider_ids WHERE workspace_id = $1 AND message_id = $2", [message.workspaceId, message.id]);
    await this.indexProviderIds(q, message);
  }

  private async indexProviderIds(q: Queryable, m: Message): Promise<void> {
    const ids = [...new Set(m.attempts.flatMap((a) => (a.providerMessageId === undefined ? [] : [a.providerMessageId])))];
    if (ids.length === 0) return;
    await q.query("INSERT INTO message_provider_ids (workspace_id, provider_message_id, message_id) SELECT $1, p, $3 FROM unnest($2::text[]) AS p ON CONFLICT DO NOTHING", [
      m.workspaceId,
      ids,
      m.id,
    ]);
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
       WHERE p.workspace_id = $1 AND p.provider_message_id = $2 LIMIT 1`,
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
