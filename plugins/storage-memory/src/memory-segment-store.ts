import type { Page, SegmentDefinition, SegmentStore } from "@nudge/core";
import { clone, paginate, Scoped } from "./util.js";

export class MemorySegmentStore implements SegmentStore {
  private readonly defs = new Scoped<SegmentDefinition>();
  /** ws -> segmentId -> member profile ids */
  private readonly memberSets = new Scoped<Set<string>>();
  /** ws -> profileId -> the segments they are in: segmentsOf is asked on every evaluation. */
  private readonly bySegmentOf = new Scoped<string[]>();

  async put(ws: string, definition: SegmentDefinition): Promise<void> {
    this.defs.of(ws).set(definition.id, clone(definition));
  }

  async get(ws: string, id: string): Promise<SegmentDefinition | null> {
    const d = this.defs.of(ws).get(id);
    return d ? clone(d) : null;
  }

  async list(ws: string): Promise<SegmentDefinition[]> {
    return [...this.defs.of(ws).values()].map(clone);
  }

  async delete(ws: string, id: string): Promise<void> {
    this.defs.of(ws).delete(id);
    for (const profileId of this.memberSets.of(ws).get(id) ?? []) this.unlist(ws, profileId, id);
    this.memberSets.of(ws).delete(id);
  }

  private set(ws: string, segmentId: string): Set<string> {
    const m = this.memberSets.of(ws);
    let s = m.get(segmentId);
    if (!s) m.set(segmentId, (s = new Set()));
    return s;
  }

  async setMember(ws: string, segmentId: string, profileId: string, member: boolean): Promise<boolean> {
    const s = this.set(ws, segmentId);
    if (s.has(profileId) === member) return false;
    if (member) {
      s.add(profileId);
      const mine = this.bySegmentOf.of(ws);
      const list = mine.get(profileId);
      if (list) list.push(segmentId);
      else mine.set(profileId, [segmentId]);
    } else {
      s.delete(profileId);
      this.unlist(ws, profileId, segmentId);
    }
    return true;
  }

  private unlist(ws: string, profileId: string, segmentId: string): void {
    const mine = this.bySegmentOf.of(ws);
    const list = mine.get(profileId);
    const i = list ? list.indexOf(segmentId) : -1;
    if (i < 0) return;
    list!.splice(i, 1);
    if (list!.length === 0) mine.delete(profileId);
  }

  async isMember(ws: string, segmentId: string, profileId: string): Promise<boolean> {
    return this.set(ws, segmentId).has(profileId);
  }

  async segmentsOf(ws: string, profileId: string): Promise<string[]> {
    return [...(this.bySegmentOf.of(ws).get(profileId) ?? [])].sort();
  }

  async members(ws: string, segmentId: string, options: { cursor?: string | null; limit: number }): Promise<Page<string>> {
    return paginate([...this.set(ws, segmentId)].sort(), options.cursor, options.limit);
  }

  async countMembers(ws: string, segmentId: string): Promise<number> {
    return this.set(ws, segmentId).size;
  }

  async removeProfile(ws: string, profileId: string): Promise<void> {
    for (const s of this.memberSets.of(ws).values()) s.delete(profileId);
    this.bySegmentOf.of(ws).delete(profileId);
  }
}
