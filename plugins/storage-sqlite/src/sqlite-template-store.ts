import type { TemplateDefinition, TemplateStore } from "@nudge/core";
import { toJson } from "@nudge/storage-sql-common";
import { fromJson } from "./codec.js";
import type { SqliteDatabase } from "./sqlite-database.js";

/** Stored templates, one JSON definition per (workspace, id). */
export class SqliteTemplateStore implements TemplateStore {
  constructor(private readonly db: SqliteDatabase) {}

  async put(ws: string, template: TemplateDefinition, at: number): Promise<void> {
    await this.db.write(() =>
      this.db
        .stmt(
          `INSERT INTO templates (workspace_id, id, definition, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (workspace_id, id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at`,
        )
        .run(ws, template.id, toJson(template), at),
    );
  }

  async get(ws: string, id: string): Promise<TemplateDefinition | null> {
    const r = this.db.guard(() => this.db.stmt("SELECT definition FROM templates WHERE workspace_id = ? AND id = ?").pluck().get(ws, id) as string | undefined);
    return r === undefined ? null : fromJson<TemplateDefinition>(r);
  }

  async list(ws: string): Promise<TemplateDefinition[]> {
    const rows = this.db.guard(() => this.db.stmt("SELECT definition FROM templates WHERE workspace_id = ? ORDER BY id").pluck().all(ws) as string[]);
    return rows.map((r) => fromJson<TemplateDefinition>(r));
  }

  async delete(ws: string, id: string): Promise<void> {
    await this.db.write(() => this.db.stmt("DELETE FROM templates WHERE workspace_id = ? AND id = ?").run(ws, id));
  }
}
