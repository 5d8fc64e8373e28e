import type { JourneyDefinition, JourneyHead, JourneyStore, JourneyVersion } from "@nudge/core";
import { clone, Scoped } from "./util.js";

export class MemoryJourneyStore implements JourneyStore {
  private readonly heads = new Scoped<JourneyHead>();
  private readonly versions = new Scoped<JourneyVersion>();

  async putVersion(ws: string, definition: JourneyDefinition, at: number): Promise<JourneyVersion> {
    const heads = this.heads.of(ws);
    const head = heads.get(definition.id);
    const version = (head?.latestVersion ?? 0) + 1;
    const v: JourneyVersion = { workspaceId: ws, journeyId: definition.id, version, definition: clone(definition), createdAt: at };
    this.versions.of(ws).set(`${definition.id}@${version}`, v);
    heads.set(definition.id, {
      workspaceId: ws,
      journeyId: definition.id,
      status: head?.status ?? "draft",
      latestVersion: version,
      publishedVersion: head?.publishedVersion ?? null,
      updatedAt: at,
    });
    return clone(v);
  }

  async getVersion(ws: string, journeyId: string, version: number): Promise<JourneyVersion | null> {
    const v = this.versions.of(ws).get(`${journeyId}@${version}`);
    return v ? clone(v) : null;
  }

  async getHead(ws: string, journeyId: string): Promise<JourneyHead | null> {
    const h = this.heads.of(ws).get(journeyId);
    return h ? clone(h) : null;
  }

  async saveHead(head: JourneyHead): Promise<void> {
    this.heads.of(head.workspaceId).set(head.journeyId, clone(head));
  }

  async listHeads(ws: string): Promise<JourneyHead[]> {
    return [...this.heads.of(ws).values()].map(clone);
  }

  async delete(ws: string, journeyId: string): Promise<void> {
    this.heads.of(ws).delete(journeyId);
    const versions = this.versions.of(ws);
    for (const [k, v] of versions) if (v.journeyId === journeyId) versions.delete(k);
  }
}
