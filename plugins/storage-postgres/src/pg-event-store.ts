import { matchesFilters, type EventQuery, type EventStore, type NudgeEvent, type TimelinePoint } from "@nudge/core";
import { EVENT_COLUMNS, toJson, Where, type EventRow } from "@nudge/storage-sql-common";
import { codec, type PgColumns } from "./codec.js";
import { InsertBatcher } from "./insert-batcher.js";
import type { PgDatabase } from "./pg-database.js";

type Row = EventRow<PgColumns>;

// One statement for any batch size: column arrays, unnested server-side. The text never changes, so
// it is prepared once per connection.
const INSERT = `INSERT INTO events (${EVENT_COLUMNS})
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::jsonb[],
    $11::bigint[], $12::bigint[], $13::bigint[])
  ON CONFLICT (workspace_id, message_id) DO NOTHING
  RETURNING workspace_id, message_id`;
const WINDOW = "workspace_id = $1 AND profile_id = $2 AND name = $3 AND timestamp >= $4 AND timestamp < $5";

const numberOrZero = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const keyOf = (ws: string, messageId: string) => `${ws}\u0000${messageId}`;

/** Events. Concurrent appends are gathered into one multi-row INSERT (group commit). */
export class PgEventStore implements EventStore {
  private readonly batcher: InsertBatcher<NudgeEvent, boolean>;

  constructor(private readonly db: PgDatabase) {
    this.batcher = new InsertBatcher((events) => this.insert(events), db.config.groupCommit);
  }

  async append(event: NudgeEvent): Promise<boolean> {
    const [inserted] = await this.batcher.submit([event]);
    return inserted === true;
  }

  async appendMany(events: NudgeEvent[]): Promise<boolean[]> {
    return events.length === 0 ? [] : this.batcher.submit(events);
  }

  /** Waits for appends on their way: called before the pool closes. */
  flush(): Promise<void> {
    return this.batcher.drain();
  }

  private async insert(events: NudgeEvent[]): Promise<boolean[]> {
    // The first of several events with one messageId is the one stored; the rest are duplicates.
    const first = new Map<string, number>();
    const unique: NudgeEvent[] = [];
    events.forEach((e, i) => {
      const k = keyOf(e.workspaceId, e.messageId);
      if (!first.has(k)) {
        first.set(k, i);
        unique.push(e);
      }
    });
    const col = <V>(f: (e: NudgeEvent) => V): V[] => unique.map(f);
    const rows = await this.db.query<{ workspace_id: string; message_id: string }>(INSERT, [
      col((e) => e.workspaceId), col((e) => e.messageId), col((e) => e.id), col((e) => e.type), col((e) => e.name), col((e) => e.profileId),
      col((e) => e.userId), col((e) => e.anonymousId), col((e) => toJson(e.properties)), col((e) => toJson(e.context)), col((e) => e.timestamp),
      col((e) => e.receivedAt), col((e) => e.processedAt),
    ]);
    const inserted = new Set(rows.map((r) => keyOf(r.workspace_id, r.message_id)));
    return events.map((e, i) => {
      const k = keyOf(e.workspaceId, e.messageId);
      return first.get(k) === i && inserted.has(k);
    });
  }

  async getByMessageId(ws: string, messageId: string): Promise<NudgeEvent | null> {
    const [row] = await this.db.query<Row>(`SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND message_id = $2`, [ws, messageId]);
    return row ? codec.event(row) : null;
  }

  async getManyByMessageId(ws: string, messageIds: string[]): Promise<(NudgeEvent | null)[]> {
    if (messageIds.length === 0) return [];
    const rows = await this.db.query<Row>(`SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND message_id = ANY($2::text[])`, [ws, [...new Set(messageIds)]]);
    const found = new Map(rows.map((r) => [r.message_id, r]));
    return messageIds.map((id) => {
      const row = found.get(id);
      return row ? codec.event(row) : null;
    });
  }

  async listByProfile(ws: string, profileId: string, options: { limit: number; before?: number }): Promise<NudgeEvent[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND profile_id = $2 AND timestamp < $3 ORDER BY timestamp DESC, received_at DESC, id DESC LIMIT $4`,
      [ws, profileId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit],
    );
    return rows.map(codec.event);
  }

  async count(ws: string, q: EventQuery): Promise<number> {
    if (q.where && q.where.length > 0) return (await this.matching(ws, q)).length;
    const [row] = await this.db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${WINDOW}`, [ws, q.profileId, q.name, q.from, q.to]);
    return row?.n ?? 0;
  }

  async sum(ws: string, q: EventQuery, property: string): Promise<number> {
    if (q.where && q.where.length > 0) {
      return (await this.matching(ws, q)).reduce((acc, p) => {
        const v = p[property];
        return acc + numberOrZero(v);
      }, 0);
    }
    const [row] = await this.db.query<{ s: number }>(
      `SELECT COALESCE(SUM(CASE WHEN jsonb_typeof(properties -> $6::text) = 'number' THEN (properties ->> $6::text)::float8 END), 0)::float8 AS s
       FROM events WHERE ${WINDOW}`,
      [ws, q.profileId, q.name, q.from, q.to, property],
    );
    return row?.s ?? 0;
  }

  async timeline(ws: string, q: Omit<EventQuery, "name"> & { name: string | null }, options: { limit: number; sumOf?: string }): Promise<TimelinePoint[]> {
    const where = new Where("$n").add("workspace_id = ? AND profile_id = ? AND timestamp >= ? AND timestamp < ?", ws, q.profileId, q.from, q.to);
    if (q.name !== null) where.add("name = ?", q.name);
    const order = "ORDER BY timestamp DESC, received_at, id";
    if (q.where && q.where.length > 0) {
      const rows = await this.db.query<{ timestamp: number; properties: Record<string, unknown> }>(`SELECT timestamp, properties FROM events WHERE ${where} ${order}`, where.params);
      const points: TimelinePoint[] = [];
      for (const r of rows) {
        if (!matchesFilters(r.properties, q.where)) continue;
        points.push({ timestamp: r.timestamp, value: options.sumOf === undefined ? 1 : numberOrZero(r.properties[options.sumOf]) });
        if (points.length >= options.limit) break;
      }
      return points;
    }
    const value =
      options.sumOf === undefined
        ? "1"
        : `CASE WHEN jsonb_typeof(properties -> ${where.param(options.sumOf)}::text) = 'number' THEN (properties ->> ${where.param(options.sumOf)}::text)::float8 ELSE 0 END`;
    const limit = where.param(options.limit);
    return this.db.query<TimelinePoint>(`SELECT timestamp, (${value})::float8 AS value FROM events WHERE ${where} ${order} LIMIT ${limit}`, where.params);
  }

  /** The window is narrowed by the index; property filters run here, with the engine's own comparison. */
  private async matching(ws: string, q: EventQuery): Promise<Record<string, unknown>[]> {
    const rows = await this.db.query<{ properties: Record<string, unknown> }>(`SELECT properties FROM events WHERE ${WINDOW}`, [ws, q.profileId, q.name, q.from, q.to]);
    return rows.map((r) => r.properties).filter((p) => matchesFilters(p, q.where));
  }

  async lastAt(ws: string, profileId: string, name: string | null): Promise<number | null> {
    const [row] =
      name === null
        ? await this.db.query<{ t: number | null }>("SELECT MAX(timestamp) AS t FROM events WHERE workspace_id = $1 AND profile_id = $2", [ws, profileId])
        : await this.db.query<{ t: number | null }>("SELECT MAX(timestamp) AS t FROM events WHERE workspace_id = $1 AND profile_id = $2 AND name = $3", [ws, profileId, name]);
    return row?.t ?? null;
  }

  async markProcessed(ws: string, ids: string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    // Only unprocessed events are indexed by id; an event already marked keeps its first time.
    await this.db.query("UPDATE events SET processed_at = $3 WHERE workspace_id = $1 AND id = ANY($2::text[]) AND processed_at IS NULL", [ws, ids, at]);
  }

  async listUnprocessed(ws: string, limit: number): Promise<NudgeEvent[]> {
    const rows = await this.db.query<Row>(`SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = $1 AND processed_at IS NULL ORDER BY received_at, id LIMIT $2`, [ws, limit]);
    return rows.map(codec.event);
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    await this.db.query("UPDATE events SET profile_id = $3 WHERE workspace_id = $1 AND profile_id = $2", [ws, fromProfileId, toProfileId]);
  }

  async deleteByProfile(ws: string, profileId: string): Promise<number> {
    return this.db.deleteChunked("events", "workspace_id = $1 AND profile_id = $2", [ws, profileId]);
  }

  async deleteOlderThan(ws: string, before: number): Promise<number> {
    return this.db.deleteChunked("events", "workspace_id = $1 AND timestamp < $2", [ws, before]);
  }
}
