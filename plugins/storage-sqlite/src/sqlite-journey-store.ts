import type { JourneyDefinition, JourneyHead, JourneyStore, JourneyVersion } from "@nudge/core";
import { JOURNEY_HEAD_COLUMNS, toJson, type JourneyHeadRow } from "@nudge/storage-sql-common";
import { codec, fromJson } from "./codec.js";
import type { SqliteDatabase } from "./sqlite-database.js";

interface VersionRow {
  workspace_id: string;
  journey_id: string;
  version: number;
  definition: string;
  created_at: number;
}

/** Journey definitions: immutable versions, and one head per journey saying which version is live. */
export class SqliteJourneyStore implements JourneyStore {
  constructor(private readonly db: SqliteDatabase) {}

  async putVersion(ws: string, definition: JourneyDefinition, at: number): Promise<JourneyVersion> {
    return this.db.write(() => {
      const head = this.db.stmt("SELECT latest_version AS v FROM journey_heads WHERE workspace_id = ? AND journey_id = ?").get(ws, definition.id) as
        | { v: number }
        | undefined;
      const version = (head?.v ?? 0) + 1;
      this.db
        .stmt("INSERT INTO journey_versions (workspace_id, journey_id, version, definition, created_at) VALUES (?, ?, ?, ?, ?)")
        .run(ws, definition.id, version, toJson(definition), at);
      this.db
        .stmt(
          `INSERT INTO journey_heads (${JOURNEY_HEAD_COLUMNS}) VALUES (?, ?, 'draft', ?, NULL, ?)
           ON CONFLICT (workspace_id, journey_id) DO UPDATE SET latest_version = excluded.latest_version, updated_at = excluded.updated_at`,
        )
        .run(ws, definition.id, version, at);
      return { workspaceId: ws, journeyId: definition.id, version, definition: structuredClone(definition), createdAt: at };
    });
  }

  async getVersion(ws: string, journeyId: string, version: number): Promise<JourneyVersion | null> {
    const r = this.db.guard(
      () =>
        this.db
          .stmt("SELECT workspace_id, journey_id, version, definition, created_at FROM journey_versions WHERE workspace_id = ? AND journey_id = ? AND version = ?")
          .get(ws, journeyId, version) as VersionRow | undefined,
    );
    return r
      ? { workspaceId: r.workspace_id, journeyId: r.journey_id, version: r.version, definition: fromJson<JourneyDefinition>(r.definition), createdAt: r.created_at }
      : null;
  }

  async getHead(ws: string, journeyId: string): Promise<JourneyHead | null> {
    const r = this.db.guard(() => this.db.stmt(`SELECT ${JOURNEY_HEAD_COLUMNS} FROM journey_heads WHERE workspace_id = ? AND journey_id = ?`).get(ws, journeyId) as JourneyHeadRow | undefined);
    return r ? codec.journeyHead(r) : null;
  }

  async saveHead(head: JourneyHead): Promise<void> {
    await this.db.write(() =>
      this.db
        .stmt(
          `INSERT INTO journey_heads (${JOURNEY_HEAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (workspace_id, journey_id) DO UPDATE SET status = excluded.status, latest_version = excluded.latest_version,
             published_version = excluded.published_version, updated_at = excluded.updated_at`,
        )
        .run(head.workspaceId, head.journeyId, head.status, head.latestVersion, head.publishedVersion, head.updatedAt),
    );
  }

  async listHeads(ws: string): Promise<JourneyHead[]> {
    const rows = this.db.guard(() => this.db.stmt(`SELECT ${JOURNEY_HEAD_COLUMNS} FROM journey_heads WHERE workspace_id = ? ORDER BY journey_id`).all(ws) as JourneyHeadRow[]);
    return rows.map(codec.journeyHead);
  }

  async delete(ws: string, journeyId: string): Promise<void> {
    await this.db.write(() => {
      this.db.stmt("DELETE FROM journey_versions WHERE workspace_id = ? AND journey_id = ?").run(ws, journeyId);
      this.db.stmt("DELETE FROM journey_heads WHERE workspace_id = ? AND journey_id = ?").run(ws, journeyId);
    });
  }
}
