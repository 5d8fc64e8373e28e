import type { Page, SegmentDefinition, SegmentStore } from "@nudge/core";
import { decodeCursor, IdCursor, toJson, toPage } from "@nudge/storage-sql-common";
import type { PgDatabase } from "./pg-database.js";

/** Segment definitions and their members, one row per (segment, person), kept incrementally. */
export class PgSegmentStore implements SegmentStore {
  constructor(private readonly db: PgDatabase) {}

  async put(ws: string, definition: SegmentDefinition, at: number): Promise<void> {
    await this.db.query(
      `INSERT INTO segments (workspace_id, id, definition, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at`,
      [ws, definition.id, toJson(definition), at],
    );
  }

  async get(ws: string, id: string): Promise<SegmentDefinition | null> {
    const [r] = await this.db.query<{ definition: SegmentDefinition }>("SELECT definition FROM segments WHERE workspace_id = $1 AND id = $2", [ws, id]);
    return r?.definition ?? null;
  }

  async list(ws: string): Promise<SegmentDefinition[]> {
    return (await this.db.query<{ definition: SegmentDefinition }>("SELECT definition FROM segments WHERE workspace_id = $1 ORDER BY id", [ws])).map((r) => r.definition);
  }

  async delete(ws: string, id: string): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query("DELETE FROM segment_members WHERE workspace_id = $1 AND segment_id = $2", [ws, id]);
      await q.query("DELETE FROM segments WHERE workspace_id = $1 AND id = $2", [ws, id]);
    });
  }

  async setMember(ws: string, segmentId: string, profileId: string, member: boolean, at: number): Promise<boolean> {
    const rows = member
      ? await this.db.query(
          "INSERT INTO segment_members (workspace_id, segment_id, profile_id, since) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1",
          [ws, segmentId, profileId, at],
        )
      : await this.db.query("DELETE FROM segment_members WHERE workspace_id = $1 AND segment_id = $2 AND profile_id = $3 RETURNING 1", [ws, segmentId, profileId]);
    return rows.length === 1;
  }

  async isMember(ws: string, segmentId: string, profileId: string): Promise<boolean> {
    return (await this.db.query("SELECT 1 FROM segment_members WHERE workspace_id = $1 AND segment_id = $2 AND profile_id = $3", [ws, segmentId, profileId])).length > 0;
  }

  async segmentsOf(ws: string, profileId: string): Promise<string[]> {
    const rows = await this.db.query<{ segment_id: string }>("SELECT segment_id FROM segment_members WHERE workspace_id = $1 AND profile_id = $2 ORDER BY segment_id", [ws, profileId]);
    return rows.map((r) => r.segment_id);
  }

  async members(ws: string, segmentId: string, options: { cursor?: string | null; limit: number }): Promise<Page<string>> {
    const after = options.cursor ? decodeCursor(options.cursor, IdCursor)[0] : "";
    const rows = await this.db.query<{ profile_id: string }>(
      "SELECT profile_id FROM segment_members WHERE workspace_id = $1 AND segment_id = $2 AND profile_id > $3 ORDER BY profile_id LIMIT $4",
      [ws, segmentId, after, options.limit + 1],
    );
    return toPage(rows, options.limit, (r) => r.profile_id, (id) => [id]);
  }

  async countMembers(ws: string, segmentId: string): Promise<number> {
    const [r] = await this.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM segment_members WHERE workspace_id = $1 AND segment_id = $2", [ws, segmentId]);
    return r?.n ?? 0;
  }

  async removeProfile(ws: string, profileId: string): Promise<void> {
    await this.db.query("DELETE FROM segment_members WHERE workspace_id = $1 AND profile_id = $2", [ws, profileId]);
  }
}
