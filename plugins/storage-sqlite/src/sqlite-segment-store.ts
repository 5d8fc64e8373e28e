import type { Page, SegmentDefinition, SegmentStore } from "@nudge/core";
import { decodeCursor, IdCursor, toJson, toPage } from "@nudge/storage-sql-common";
import { fromJson } from "./codec.js";
import type { SqliteDatabase } from "./sqlite-database.js";

/** Segment definitions and their members, one row per (segment, person), kept incrementally. */
export class SqliteSegmentStore implements SegmentStore {
  constructor(private readonly db: SqliteDatabase) {}

  async put(ws: string, definition: SegmentDefinition, at: number): Promise<void> {
    await this.db.write(() =>
      this.db
        .stmt(
          `INSERT INTO segments (workspace_id, id, definition, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (workspace_id, id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
        )
        .run(ws, definition.id, toJson(definition), at),
    );
  }

  async get(ws: string, id: string): Promise<SegmentDefinition | null> {
    const r = this.db.guard(() => this.db.stmt("SELECT definition FROM segments WHERE workspace_id = ? AND id = ?").get(ws, id) as { definition: string } | undefined);
    return r ? fromJson<SegmentDefinition>(r.definition) : null;
  }

  async list(ws: string): Promise<SegmentDefinition[]> {
    const rows = this.db.guard(() => this.db.stmt("SELECT definition FROM segments WHERE workspace_id = ? ORDER BY id").all(ws) as { definition: string }[]);
    return rows.map((r) => fromJson<SegmentDefinition>(r.definition));
  }

  async delete(ws: string, id: string): Promise<void> {
    await this.db.write(() => {
      this.db.stmt("DELETE FROM segment_members WHERE workspace_id = ? AND segment_id = ?").run(ws, id);
      this.db.stmt("DELETE FROM segments WHERE workspace_id = ? AND id = ?").run(ws, id);
    });
  }

  async setMember(ws: string, segmentId: string, profileId: string, member: boolean, at: number): Promise<boolean> {
    return this.db.write(() =>
      member
        ? this.db.stmt("INSERT INTO segment_members (workspace_id, segment_id, profile_id, since) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").run(ws, segmentId, profileId, at)
            .changes === 1
        : this.db.stmt("DELETE FROM segment_members WHERE workspace_id = ? AND segment_id = ? AND profile_id = ?").run(ws, segmentId, profileId).changes === 1,
    );
  }

  async isMember(ws: string, segmentId: string, profileId: string): Promise<boolean> {
    return this.db.guard(
      () => this.db.stmt("SELECT 1 FROM segment_members WHERE workspace_id = ? AND segment_id = ? AND profile_id = ?").get(ws, segmentId, profileId) !== undefined,
    );
  }

  async segmentsOf(ws: string, profileId: string): Promise<string[]> {
    return this.db.guard(
      () => this.db.stmt("SELECT segment_id FROM segment_members WHERE workspace_id = ? AND profile_id = ? ORDER BY segment_id").pluck().all(ws, profileId) as string[],
    );
  }

  async members(ws: string, segmentId: string, options: { cursor?: string | null; limit: number }): Promise<Page<string>> {
    const after = options.cursor ? decodeCursor(options.cursor, IdCursor)[0] : "";
    const ids = this.db.guard(
      () =>
        this.db
          .stmt("SELECT profile_id FROM segment_members WHERE workspace_id = ? AND segment_id = ? AND profile_id > ? ORDER BY profile_id LIMIT ?")
          .pluck()
          .all(ws, segmentId, after, options.limit + 1) as string[],
    );
    return toPage(ids, options.limit, (id) => id, (id) => [id]);
  }

  async countMembers(ws: string, segmentId: string): Promise<number> {
    return this.db.guard(() => this.db.stmt("SELECT COUNT(*) FROM segment_members WHERE workspace_id = ? AND segment_id = ?").pluck().get(ws, segmentId) as number);
  }

  async removeProfile(ws: string, profileId: string): Promise<void> {
    await this.db.write(() => this.db.stmt("DELETE FROM segment_members WHERE workspace_id = ? AND profile_id = ?").run(ws, profileId));
  }
}
