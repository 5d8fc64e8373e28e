import type { TemplateDefinition, TemplateStore } from "@nudge/core";
import { toJson } from "@nudge/storage-sql-common";
import type { PgDatabase } from "./pg-database.js";

/** Stored templates, one JSON definition per (workspace, id). */
export class PgTemplateStore implements TemplateStore {
  constructor(private readonly db: PgDatabase) {}

  async put(ws: string, template: TemplateDefinition, at: number): Promise<void> {
    await this.db.query(
      `INSERT INTO templates (workspace_id, id, definition, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = EXCLUDED.updated_at`,
      [ws, template.id, toJson(template), at],
    );
  }

  async get(ws: string, id: string): Promise<TemplateDefinition | null> {
    const [r] = await this.db.query<{ definition: TemplateDefinition }>("SELECT definition FROM templates WHERE workspace_id = $1 AND id = $2", [ws, id]);
    return r?.definition ?? null;
  }

  async list(ws: string): Promise<TemplateDefinition[]> {
    return (await this.db.query<{ definition: TemplateDefinition }>("SELECT definition FROM templates WHERE workspace_id = $1 ORDER BY id", [ws])).map((r) => r.definition);
  }

  async delete(ws: string, id: string): Promise<void> {
    await this.db.query("DELETE FROM templates WHERE workspace_id = $1 AND id = $2", [ws, id]);
  }
}
