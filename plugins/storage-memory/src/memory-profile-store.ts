import { ConflictError, type Page, type Profile, type ProfileStore } from "@nudge/core";
import { clone, Scoped } from "./util.js";

export class MemoryProfileStore implements ProfileStore {
  private readonly rows = new Scoped<Profile>();
  /** ws -> "u:<userId>" / "a:<anonymousId>" -> profile id: lookups stay O(1) at a million people. */
  private readonly ids = new Scoped<string>();
  /** ws -> profile ids in order, rebuilt after inserts and deletes: pages do not sort every time. */
  private readonly sorted = new Map<string, string[]>();

  private keys(p: Profile): string[] {
    return [...(p.userId !== null ? [`u:${p.userId}`] : []), ...p.anonymousIds.map((a) => `a:${a}`)];
  }

  private byKey(ws: string, key: string): Profile | null {
    const id = this.ids.of(ws).get(key);
    const p = id === undefined ? undefined : this.rows.of(ws).get(id);
    return p ? clone(p) : null;
  }

  async get(ws: string, id: string): Promise<Profile | null> {
    const p = this.rows.of(ws).get(id);
    return p ? clone(p) : null;
  }

  async getByUserId(ws: string, userId: string): Promise<Profile | null> {
    return this.byKey(ws, `u:${userId}`);
  }

  async getByAnonymousId(ws: string, anonymousId: string): Promise<Profile | null> {
    return this.byKey(ws, `a:${anonymousId}`);
  }

  async idsByUserId(ws: string, userIds: readonly string[]): Promise<Map<string, string>> {
    const ids = this.ids.of(ws);
    const out = new Map<string, string>();
    for (const userId of userIds) {
      const id = ids.get(`u:${userId}`);
      // The key also holds former userIds kept as anonymous ids ("a:"), never here: "u:" is the userId alone.
      if (id !== undefined) out.set(userId, id);
    }
    return out;
  }

  async findByContact(ws: string, kind: "email" | "phone", address: string): Promise<Profile[]> {
    return [...this.rows.of(ws).values()].filter((p) => p.contacts[kind] === address).map(clone);
  }

  async save(profile: Profile): Promise<Profile> {
    const rows = this.rows.of(profile.workspaceId);
    const current = rows.get(profile.id);
    if ((current?.version ?? 0) !== profile.version || (!current && profile.version !== 0)) {
      throw new ConflictError("profile", profile.id);
    }
    const ids = this.ids.of(profile.workspaceId);
    for (const key of this.keys(profile)) {
      const owner = ids.get(key);
      if (owner !== undefined && owner !== profile.id) throw new ConflictError("profile", profile.id);
    }
    const saved = clone({ ...profile, version: profile.version + 1 });
    if (current) for (const key of this.keys(current)) ids.delete(key);
    else this.sorted.delete(profile.workspaceId);
    for (const key of this.keys(saved)) ids.set(key, saved.id);
    rows.set(profile.id, saved);
    return clone(saved);
  }

  async delete(ws: string, id: string): Promise<void> {
    const current = this.rows.of(ws).get(id);
    if (!current) return;
    for (const key of this.keys(current)) this.ids.of(ws).delete(key);
    this.rows.of(ws).delete(id);
    this.sorted.delete(ws);
  }

  async list(ws: string, options: { cursor?: string | null; limit: number }): Promise<Page<Profile>> {
    let order = this.sorted.get(ws);
    if (!order) this.sorted.set(ws, (order = [...this.rows.of(ws).keys()].sort()));
    // Keyset cursor (the last id returned): pages stay right when people are added or removed meanwhile.
    let lo = 0;
    if (options.cursor) {
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (order[mid]! <= options.cursor) lo = mid + 1;
        else hi = mid;
      }
    }
    const rows = this.rows.of(ws);
    const items = order.slice(lo, lo + options.limit).map((id) => clone(rows.get(id)!));
    const last = items.at(-1);
    return { items, nextCursor: last && lo + items.length < order.length ? last.id : null };
  }

  async count(ws: string): Promise<number> {
    return this.rows.of(ws).size;
  }
}
