import type { JourneyDefinition, JourneyHead, JourneyStore, JourneyVersion } from "@nudge/core";
import { JOURNEY_HEAD_COLUMNS, toJson, type JourneyHeadRow } from "@nudge/storage-sql-common";
import { codec } from "./codec.js";
import type { PgDatabase } from "./pg-database.js";

/** Journey definitions: immutable versions, and one head per journey saying which version is live. */
export class PgJourneyStore implements JourneyStore {
  constructor(private readonly db: PgDatabase) {}

  async putVersion(ws: string, definition: JourneyDefinition, at: number): Promise<JourneyVersion> {
    // One statement: the head row's lock orders concurrent writers, so two processes never write one version twice.
    // Not retried once sent: a retry after a lost COMMIT would write a second version.
    const [row] = await this.db.query<{ version: number }>(
      `WITH head AS (
         INSERT INTO journey_heads (${JOURNEY_HEAD_COLUMNS}) VALUES ($1, $2, 'draft', 1, NULL, $3)
         ON CONFLICT (workspace_id, journey_id) DO UPDATE SET latest_version = journey_heads.latest_version + 1, updated_at = EXCLUDED.updated_at
         RETURNING latest_version)
       INSERT INTO journey_versions (workspace_id, journey_id, version, definition, created_at)
       SELECT $1, $2, latest_version, $4::jsonb, $3 FROM head RETURNING version`,
      [ws, definition.id, at, toJson(definition)],
      { idempotent: false },
    );
    return { workspaceId: ws, journeyId: definition.id, version: row!.version, definition: structuredClone(definition), createdAt: at };
  }

  async getVersion(ws: string, journeyId: string, version: number): Promise<JourneyVersion | null> {
    const [r] = await this.db.query<{ definition: JourneyDefinition; created_at: number }>(
      "SELECT definition, created_at FROM journey_versions WHERE workspace_id = $1 AND journey_id = $2 AND version = $3",
      [ws, journeyId, version],
    );
    return r ? { workspaceId: ws, journeyId, version, definition: r.definition, createdAt: r.created_at } : null;
  }

  async getHead(ws: string, journeyId: string): Promise<JourneyHead | null> {
    const [r] = await this.db.query<JourneyHeadRow>(`SELECT ${JOURNEY_HEAD_COLUMNS} FROM journey_heads WHERE workspace_id = $1 AND journey_id = $2`, [ws, journeyId]);
    return r ? codec.journeyHead(r) : null;
  }

  async saveHead(head: JourneyHead): Promise<void> {
    await this.db.query(
      `INSERT INTO journey_heads (${JOURNEY_HEAD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, journey_id) DO UPDATE SET status = EXCLUDED.status, latest_version = EXCLUDED.latest_version,
         published_version = EXCLUDED.published_version, updated_at = EXCLUDED.updated_at`,
      [head.workspaceId, head.journeyId, head.status, head.latestVersion, head.publishedVersion, head.updatedAt],
    );
  }

  async listHeads(ws: string): Promise<JourneyHead[]> {
    return (await this.db.query<JourneyHeadRow>(`SELECT ${JOURNEY_HEAD_COLUMNS} FROM journey_heads WHERE workspace_id = $1 ORDER BY journey_id`, [ws])).map(codec.journeyHead);
  }

  async delete(ws: string, journeyId: string): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query("DELETE FROM journey_versions WHERE workspace_id = $1 AND journey_id = $2", [ws, journeyId]);
      await q.query("DELETE FROM journey_heads WHERE workspace_id = $1 AND journey_id = $2", [ws, journeyId]);
    });
  }
}
