import { matchesFilters, type EventQuery, type EventStore, type NudgeEvent, type TimelinePoint } from "@nudge/core";
import { EVENT_COLUMNS, toJson, type EventRow } from "@nudge/storage-sql-common";
import { codec, fromJson, type SqliteColumns } from "./codec.js";
import type { SqliteDatabase } from "./sqlite-database.js";

type Row = EventRow<SqliteColumns>;

const WINDOW = "workspace_id = ? AND profile_id = ? AND name = ? AND timestamp >= ? AND timestamp < ?";
const ANY_NAME_WINDOW = "workspace_id = ? AND profile_id = ? AND timestamp >= ? AND timestamp < ?";
/** A JSON path cannot quote a key holding `"` or `\`: such (rare) keys are read in JavaScript instead. */
const jsonPath = (key: string): string | null => (/["\\]/.test(key) ? null : `$."${key}"`);
const numberOrZero = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** A stored event's values in EVENT_COLUMNS order. */
const values = (e: NudgeEvent): unknown[] => [
  e.workspaceId, e.messageId, e.id, e.type, e.name, e.profileId, e.userId, e.anonymousId, toJson(e.properties), toJson(e.context), e.timestamp, e.receivedAt, e.processedAt,
];

/**
 * Events, in the event-log file. Reads run on its connection on this thread; every change goes through
 * `db.events` (the writer thread, or that connection's own group commit), and
 * resolves after the COMMIT that holds it. A duplicate of a stored (or earlier in the list) messageId is
 * skipped and reported false.
 */
export class SqliteEventStore implements EventStore {
  constructor(private readonly db: SqliteDatabase) {}

  async append(event: NudgeEvent): Promise<boolean> {
    const [inserted] = await this.db.events.insert([values(event)]);
    return inserted === true;
  }

  async appendMany(events: NudgeEvent[]): Promise<boolean[]> {
    return events.length === 0 ? [] : this.db.events.insert(events.map(values));
  }

  async getByMessageId(ws: string, messageId: string): Promise<NudgeEvent | null> {
    const row = this.db.guard(() => this.db.eventStmt(`SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND message_id = ?`).get(ws, messageId) as Row | undefined);
    return row ? codec.event(row) : null;
  }

  async getManyByMessageId(ws: string, messageIds: string[]): Promise<(NudgeEvent | null)[]> {
    if (messageIds.length === 0) return [];
    const rows = this.db.guard(
      () =>
        this.db
          .eventStmt(`SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND message_id IN (SELECT value FROM json_each(?))`)
          .all(ws, JSON.stringify([...new Set(messageIds)])) as Row[],
    );
    const found = new Map(rows.map((r) => [r.message_id, r]));
    return messageIds.map((id) => {
      const row = found.get(id);
      return row ? codec.event(row) : null;
    });
  }

  async listByProfile(ws: string, profileId: string, options: { limit: number; before?: number }): Promise<NudgeEvent[]> {
    const rows = this.db.guard(
      () =>
        this.db
          .eventStmt(`SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND profile_id = ? AND timestamp < ? ORDER BY timestamp DESC, rowid DESC LIMIT ?`)
          .all(ws, profileId, options.before ?? Number.MAX_SAFE_INTEGER, options.limit) as Row[],
    );
    return rows.map(codec.event);
  }

  async count(ws: string, q: EventQuery): Promise<number> {
    if (q.where && q.where.length > 0) return this.matching(ws, q).length;
    return this.db.guard(() => (this.db.eventStmt(`SELECT COUNT(*) AS n FROM events WHERE ${WINDOW}`).get(ws, q.profileId, q.name, q.from, q.to) as { n: number }).n);
  }

  async sum(ws: string, q: EventQuery, property: string): Promise<number> {
    const path = jsonPath(property);
    if ((q.where && q.where.length > 0) || path === null) {
      return this.matching(ws, q).reduce((acc, p) => acc + numberOrZero(p[property]), 0);
    }
    const row = this.db.guard(
      () =>
        this.db
          .eventStmt(`SELECT TOTAL(CASE WHEN json_type(properties, ?) IN ('integer', 'real') THEN json_extract(properties, ?) END) AS s FROM events WHERE ${WINDOW}`)
          .get(path, path, ws, q.profileId, q.name, q.from, q.to) as { s: number },
    );
    return row.s;
  }

  async timeline(ws: string, q: Omit<EventQuery, "name"> & { name: string | null }, options: { limit: number; sumOf?: string }): Promise<TimelinePoint[]> {
    const where = q.name === null ? ANY_NAME_WINDOW : WINDOW;
    const params = q.name === null ? [ws, q.profileId, q.from, q.to] : [ws, q.profileId, q.name, q.from, q.to];
    const order = "ORDER BY timestamp DESC, rowid";
    const path = options.sumOf === undefined ? null : jsonPath(options.sumOf);
    if ((q.where && q.where.length > 0) || (options.sumOf !== undefined && path === null)) {
      const points: TimelinePoint[] = [];
      // Rows stream newest first and stop at the limit: filtered windows read no more than they keep.
      this.db.guard(() => {
        for (const r of this.db.eventStmt(`SELECT timestamp, properties FROM events WHERE ${where} ${order}`).iterate(...params) as Iterable<{ timestamp: number; properties: string }>) {
          const props = fromJson<Record<string, unknown>>(r.properties);
          if (!matchesFilters(props, q.where)) continue;
          points.push({ timestamp: r.timestamp, value: options.sumOf === undefined ? 1 : numberOrZero(props[options.sumOf]) });
          if (points.length >= options.limit) break;
        }
      });
      return points;
    }
    const value = path === null ? "1" : "CASE WHEN json_type(properties, ?) IN ('integer', 'real') THEN json_extract(properties, ?) ELSE 0 END";
    const args = path === null ? params : [path, path, ...params];
    return this.db.guard(() => this.db.eventStmt(`SELECT timestamp, ${value} AS value FROM events WHERE ${where} ${order} LIMIT ?`).all(...args, options.limit) as TimelinePoint[]);
  }

  /**
   * The window is narrowed by the index; property filters run here, with the very comparison the
   * engine uses everywhere else, so every backend agrees on what matches.
   */
  private matching(ws: string, q: EventQuery): Record<string, unknown>[] {
    const rows = this.db.guard(() => this.db.eventStmt(`SELECT properties FROM events WHERE ${WINDOW}`).all(ws, q.profileId, q.name, q.from, q.to) as { properties: string }[]);
    return rows.map((r) => fromJson<Record<string, unknown>>(r.properties)).filter((p) => matchesFilters(p, q.where));
  }

  async lastAt(ws: string, profileId: string, name: string | null): Promise<number | null> {
    const row = this.db.guard(
      () =>
        (name === null
          ? this.db.eventStmt("SELECT MAX(timestamp) AS t FROM events WHERE workspace_id = ? AND profile_id = ?").get(ws, profileId)
          : this.db.eventStmt("SELECT MAX(timestamp) AS t FROM events WHERE workspace_id = ? AND profile_id = ? AND name = ?").get(ws, profileId, name)) as { t: number | null },
    );
    return row.t;
  }

  async markProcessed(ws: string, ids: string[], at: number): Promise<void> {
    if (ids.length === 0) return;
    // Only unprocessed events are indexed by id; an event already marked keeps its first time.
    await this.db.events.run(
      "UPDATE events SET processed_at = ? WHERE workspace_id = ? AND id = ? AND processed_at IS NULL",
      ids.map((id) => [at, ws, id]),
    );
  }

  async listUnprocessed(ws: string, limit: number): Promise<NudgeEvent[]> {
    const rows = this.db.guard(
      () => this.db.eventStmt(`SELECT ${EVENT_COLUMNS} FROM events WHERE workspace_id = ? AND processed_at IS NULL ORDER BY received_at, rowid LIMIT ?`).all(ws, limit) as Row[],
    );
    return rows.map(codec.event);
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    await this.db.events.run("UPDATE events SET profile_id = ? WHERE workspace_id = ? AND profile_id = ?", [[toProfileId, ws, fromProfileId]]);
  }

  async deleteByProfile(ws: string, profileId: string): Promise<number> {
    return this.deleteWhere("workspace_id = ? AND profile_id = ?", [ws, profileId]);
  }

  async deleteOlderThan(ws: string, before: number): Promise<number> {
    return this.deleteWhere("workspace_id = ? AND timestamp < ?", [ws, before]);
  }

  private deleteWhere(where: string, params: unknown[]): Promise<number> {
    // A chunk may delete `deleteChunk` rows: the writer thread takes it, off the event loop.
    return this.db.deleteChunked("events", where, params, (sql) => this.db.events.run(sql, [params], this.db.config.deleteChunk));
  }
}
