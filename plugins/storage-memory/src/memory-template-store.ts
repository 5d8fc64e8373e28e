import type { TemplateDefinition, TemplateStore } from "@nudge/core";
import { clone, Scoped } from "./util.js";

export class MemoryTemplateStore implements TemplateStore {
  private readonly rows = new Scoped<TemplateDefinition>();

  async put(ws: string, template: TemplateDefinition): Promise<void> {
    this.rows.of(ws).set(template.id, clone(template));
  }

  async get(ws: string, id: string): Promise<TemplateDefinition | null> {
    const t = this.rows.of(ws).get(id);
    return t ? clone(t) : null;
  }

  async list(ws: string): Promise<TemplateDefinition[]> {
    return [...this.rows.of(ws).values()].map(clone);
  }

  async delete(ws: string, id: string): Promise<void> {
    this.rows.of(ws).delete(id);
  }
}
