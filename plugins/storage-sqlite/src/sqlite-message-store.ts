import { setImmediate as nextTurn } from "node:timers/promises";
import type { InsertClaim, Message, MessageCountQuery, MessageQuery, MessageStore, Page, SendClaim, SendLimit, SpendQuery, SpendRow } from "@nudge/core";
import { decodeCursor, MESSAGE_COLUMN_NAMES, TimeIdCursor, toPage, Where, whereListed, whereSent, type MessageRow } from "@nudge/storage-sql-common";
import { codec, columns, type SqliteColumns } from "./codec.js";
import { checkClaim, checkLimits, spend } from "./sqlite-message-reports.js";
import type { SqliteDatabase } from "./sqlite-database.js";

type Row = MessageRow<SqliteColumns>;

const COLUMNS = MESSAGE_COLUMN_NAMES.join(", ");
const PLACEHOLDERS = MESSAGE_COLUMN_NAMES.map(() => "?").join(", ");
const UPDATABLE = MESSAGE_COLUMN_NAMES.slice(2);
const M = MESSAGE_COLUMN_NAMES.map((c) => `m.${c}`).join(", ");

/** The message log: one row per logical message, its attempts and policy decisions as JSON. */
export class SqliteMessageStore implements MessageStore {
  constructor(private readonly db: SqliteDatabase) {}

  async insert(message: Message): Promise<{ message: Message; inserted: boolean }> {
    const inserted = await this.db.write(() => this.add(message));
    // The caller's own object back when it is stored: the row is serialised, so nothing is shared.
    if (inserted) return { message, inserted };
    const stored = await this.getByKey(message.workspaceId, message.idempotencyKey);
    // Our own row, stored by an earlier try of this insert.
    if (stored?.id === message.id) return { message, inserted: true };
    return { message: stored ?? structuredClone(message), inserted };
  }

  async get(ws: string, id: string): Promise<Message | null> {
    return this.one(`SELECT ${COLUMNS} FROM messages WHERE workspace_id = ? AND id = ?`, ws, id);
  }

  async getByKey(ws: string, idempotencyKey: string): Promise<Message | null> {
    return this.one(`SELECT ${COLUMNS} FROM messages WHERE workspace_id = ? AND idempotency_key = ?`, ws, idempotencyKey);
  }

  async update(message: Message): Promise<void> {
    await this.db.write(() => this.upsert(message));
  }

  async claimSend(message: Message, limits: SendLimit[]): Promise<SendClaim> {
    return this.db.write(() => {
      const verdict = checkClaim(this.db, message, limits);
      if (verdict.claimed) this.upsert(message);
      return verdict;
    });
  }

  async insertClaimed(message: Message, limits: SendLimit[]): Promise<InsertClaim> {
    // null: the key is taken. The INSERT checks it (ON CONFLICT) on the common path; a refusal, rarer, looks it up.
    const claim = await this.db.write(() => {
      const verdict = checkLimits(this.db, message, limits);
      if (verdict.claimed) return this.add(message) ? verdict : null;
      return this.db.stmt("SELECT 1 FROM messages WHERE workspace_id = ? AND idempotency_key = ?").get(message.workspaceId, message.idempotencyKey) ? null : verdict;
    });
    if (claim) return claim;
    const stored = await this.getByKey(message.workspaceId, message.idempotencyKey);
    if (stored?.id === message.id) return { claimed: true };
    return stored ? { claimed: false, reason: "duplicate", message: stored } : { claimed: false, reason: "status", status: "failed" };
  }

  /** Inside a write transaction: inserts the row and its provider ids unless its key is taken; whether it did. */
  private add(message: Message): boolean {
    const n = this.db.stmt(`INSERT INTO messages (${COLUMNS}) VALUES (${PLACEHOLDERS}) ON CONFLICT (workspace_id, idempotency_key) DO NOTHING`).run(...codec.messageParams(message)).changes;
    if (n === 1) this.indexProviderIds(message);
    return n === 1;
  }

  async spend(ws: string, query: SpendQuery): Promise<SpendRow[]> {
    return spend(this.db, ws, query);
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    await this.db.write(() => this.db.stmt("UPDATE messages SET profile_id = ? WHERE workspace_id = ? AND profile_id = ?").run(toProfileId, ws, fromProfileId));
  }

  /**
   * Inside a write transaction: replaces the row and adds its new provider ids. Attempts only ever grow,
   * so ids are added, never deleted here; a lookup by provider id still checks the row's attempts (see
   * findByProviderMessageId), so a replaced row that dropped an attempt is not found through it.
   */
  private upsert(message: Message): void {
    this.db
      .stmt(`INSERT INTO messages (${COLUMNS}) VALUES (${PLACEHOLDERS}) ON CONFLICT (workspace_id, id) DO UPDATE SET ${UPDATABLE.map((c) => `${c} = excluded.${c}`).join(", ")}`)
      .run(...codec.messageParams(message));
    this.indexProviderIds(message);
  }

  private indexProviderIds(m: Message): void {
    const stmt = this.db.stmt("INSERT OR IGNORE INTO message_provider_ids (workspace_id, provider_message_id, message_id) VALUES (?, ?, ?)");
    for (const a of m.attempts) if (a.providerMessageId !== undefined) stmt.run(m.workspaceId, a.providerMessageId, m.id);
  }

  async list(ws: string, q: MessageQuery): Promise<Page<Message>> {
    const where = whereListed(new Where("?"), ws, q);
    if (q.cursor) {
      const [createdAt, id] = decodeCursor(q.cursor, TimeIdCursor);
      where.add("(created_at < ? OR (created_at = ? AND id < ?))", createdAt, createdAt, id);
    }
    const sql = `SELECT ${COLUMNS} FROM messages WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ?`;
    const rows = this.db.guard(() => this.db.stmt(sql).all(...where.params, q.limit + 1) as Row[]);
    return toPage(rows, q.limit, codec.message, (m) => [m.createdAt, m.id]);
  }

  async countSent(ws: string, q: MessageCountQuery): Promise<number> {
    const where = whereSent(new Where("?"), ws, q, columns);
    return this.db.guard(() => this.db.stmt(`SELECT COUNT(*) FROM messages WHERE ${where}`).pluck().get(...where.params) as number);
  }

  async findByProviderMessageId(ws: string, providerMessageId: string): Promise<Message | null> {
    return this.one(
      `SELECT ${M} FROM message_provider_ids p
       JOIN messages m ON m.workspace_id = p.workspace_id AND m.id = p.message_id
       WHERE p.workspace_id = ? AND p.provider_message_id = ?
         AND EXISTS (SELECT 1 FROM json_each(m.attempts) a WHERE json_extract(a.value, '$.providerMessageId') = ?) LIMIT 1`,
      ws,
      providerMessageId,
      providerMessageId,
    );
  }

  async redactByProfile(ws: string, profileId: string): Promise<number> {
    return this.db.write(
      () =>
        this.db
          .stmt("UPDATE messages SET content = NULL, recipient = NULL WHERE workspace_id = ? AND profile_id = ? AND (content IS NOT NULL OR recipient IS NOT NULL)")
          .run(ws, profileId).changes,
    );
  }

  async redactOlderThan(ws: string, before: number): Promise<number> {
    return this.chunked(
      `UPDATE messages SET content = NULL, recipient = NULL WHERE rowid IN
         (SELECT rowid FROM messages WHERE workspace_id = ? AND created_at < ? AND (content IS NOT NULL OR recipient IS NOT NULL) LIMIT ?)`,
      ws,
      before,
    );
  }

  async deleteOlderThan(ws: string, before: number): Promise<number> {
    const chunk = this.db.config.deleteChunk;
    let total = 0;
    for (;;) {
      const n = await this.db.write(() => {
        const ids = this.db.stmt("SELECT id FROM messages WHERE workspace_id = ? AND created_at < ? LIMIT ?").pluck().all(ws, before, chunk) as string[];
        const dropIds = this.db.stmt("DELETE FROM message_provider_ids WHERE workspace_id = ? AND message_id = ?");
        const drop = this.db.stmt("DELETE FROM messages WHERE workspace_id = ? AND id = ?");
        for (const id of ids) {
          dropIds.run(ws, id);
          drop.run(ws, id);
        }
        return ids.length;
      });
      total += n;
      if (n < chunk) return total;
      await nextTurn();
    }
  }

  private async chunked(sql: string, ws: string, before: number): Promise<number> {
    const chunk = this.db.config.deleteChunk;
    let total = 0;
    for (;;) {
      const n = await this.db.write(() => this.db.stmt(sql).run(ws, before, chunk).changes);
      total += n;
      if (n < chunk) return total;
      await nextTurn();
    }
  }

  private one(sql: string, ...params: unknown[]): Message | null {
    const row = this.db.guard(() => this.db.stmt(sql).get(...params) as Row | undefined);
    return row ? codec.message(row) : null;
  }
}
