import { matchesFilters, type EventQuery, type EventStore, type NudgeEvent, type TimelinePoint } from "@nudge/core";
import { clone, Scoped } from "./util.js";

export class MemoryEventStore implements EventStore {
  /** ws -> messageId -> event */
  private readonly byMessageId = new Map<string, Map<string, NudgeEvent>>();
  /** ws:id -> event (same objects) */
  private readonly byId = new Map<string, NudgeEvent>();
  /** ws -> profileId -> that person's events (same objects): per-person queries stay cheap at a million people. */
  private readonly byProfile = new Scoped<NudgeEvent[]>();

  private ofProfile(ws: string, profileId: string): NudgeEvent[] {
    return this.byProfile.of(ws).get(profileId) ?? [];
  }

  private index(e: NudgeEvent): void {
    const m = this.byProfile.of(e.workspaceId);
    const list = m.get(e.profileId);
    if (list) list.push(e);
    else m.set(e.profileId, [e]);
  }

  private unindex(ws: string, e: NudgeEvent): void {
    const m = this.byProfile.of(ws);
    const list = m.get(e.profileId);
    if (!list) return;
    const i = list.indexOf(e);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) m.delete(e.profileId);
  }

  private ws(ws: string): Map<string, NudgeEvent> {
    let m = this.byMessageId.get(ws);
    if (!m) this.byMessageId.set(ws, (m = new Map()));
    return m;
  }

  async append(event: NudgeEvent): Promise<boolean> {
    const m = this.ws(event.workspaceId);
    if (m.has(event.messageId)) return false;
    const stored = clone(event);
    m.set(event.messageId, stored);
    this.byId.set(`${event.workspaceId}:${event.id}`, stored);
    this.index(stored);
    return true;
  }

  async appendMany(events: NudgeEvent[]): Promise<boolean[]> {
    const out: boolean[] = [];
    for (const e of events) out.push(await this.append(e));
    return out;
  }

  async getByMessageId(ws: string, messageId: string): Promise<NudgeEvent | null> {
    const e = this.ws(ws).get(messageId);
    return e ? clone(e) : null;
  }

  async getManyByMessageId(ws: string, messageIds: string[]): Promise<(NudgeEvent | null)[]> {
    const events = this.ws(ws);
    return messageIds.map((id) => {
      const e = events.get(id);
      return e ? clone(e) : null;
    });
  }

  async listByProfile(ws: string, profileId: string, options: { limit: number; before?: number }): Promise<NudgeEvent[]> {
    return this.ofProfile(ws, profileId)
      .filter((e) => options.before === undefined || e.timestamp < options.before)
      .sort((a, b) => b.timestamp - a.timestamp)
      .slice(0, options.limit)
      .map(clone);
  }

  private matching(ws: string, q: EventQuery): NudgeEvent[] {
    return this.ofProfile(ws, q.profileId).filter(
      (e) => e.name === q.name && e.timestamp >= q.from && e.timestamp < q.to && matchesFilters(e.properties, q.where),
    );
  }

  async count(ws: string, query: EventQuery): Promise<number> {
    return this.matching(ws, query).length;
  }

  async sum(ws: string, query: EventQuery, property: string): Promise<number> {
    return this.matching(ws, query).reduce((acc, e) => {
      const v = e.properties[property];
      return acc + (typeof v === "number" && Number.isFinite(v) ? v : 0);
    }, 0);
  }

  async timeline(ws: string, q: Omit<EventQuery, "name"> & { name: string | null }, options: { limit: number; sumOf?: string }): Promise<TimelinePoint[]> {
    const points: TimelinePoint[] = [];
    for (const e of this.ofProfile(ws, q.profileId)) {
      if ((q.name !== null && e.name !== q.name) || e.timestamp < q.from || e.timestamp >= q.to || !matchesFilters(e.properties, q.where)) continue;
      const v = options.sumOf === undefined ? 1 : e.properties[options.sumOf];
      points.push({ timestamp: e.timestamp, value: typeof v === "number" && Number.isFinite(v) ? v : 0 });
    }
    return points.sort((a, b) => b.timestamp - a.timestamp).slice(0, options.limit);
  }

  async lastAt(ws: string, profileId: string, name: string | null): Promise<number | null> {
    let last: number | null = null;
    for (const e of this.ofProfile(ws, profileId)) {
      if ((name === null || e.name === name) && (last === null || e.timestamp > last)) last = e.timestamp;
    }
    return last;
  }

  async markProcessed(ws: string, ids: string[], at: number): Promise<void> {
    for (const id of ids) {
      const e = this.byId.get(`${ws}:${id}`);
      if (e) e.processedAt = at;
    }
  }

  async listUnprocessed(ws: string, limit: number): Promise<NudgeEvent[]> {
    return [...this.ws(ws).values()]
      .filter((e) => e.processedAt === null)
      .sort((a, b) => a.receivedAt - b.receivedAt)
      .slice(0, limit)
      .map(clone);
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    if (fromProfileId === toProfileId) return;
    for (const e of this.ofProfile(ws, fromProfileId)) {
      e.profileId = toProfileId;
      this.index(e);
    }
    this.byProfile.of(ws).delete(fromProfileId);
  }

  async deleteByProfile(ws: string, profileId: string): Promise<number> {
    const m = this.ws(ws);
    const mine = this.ofProfile(ws, profileId);
    for (const e of mine) {
      m.delete(e.messageId);
      this.byId.delete(`${ws}:${e.id}`);
    }
    this.byProfile.of(ws).delete(profileId);
    return mine.length;
  }

  async deleteOlderThan(ws: string, before: number): Promise<number> {
    return this.deleteWhere(ws, (e) => e.timestamp < before);
  }

  private deleteWhere(ws: string, pred: (e: NudgeEvent) => boolean): number {
    const m = this.ws(ws);
    let n = 0;
    for (const [k, e] of m) {
      if (pred(e)) {
        m.delete(k);
        this.byId.delete(`${ws}:${e.id}`);
        this.unindex(ws, e);
        n++;
      }
    }
    return n;
  }
}
