import type { InsertClaim, Message, MessageCountQuery, MessageQuery, MessageStore, Page, SendClaim, SendLimit, SpendQuery, SpendRow } from "@nudge/core";
import { copyMessage, copyMessageInto } from "./message-copy.js";
import { paginate, Scoped } from "./util.js";

export class MemoryMessageStore implements MessageStore {
  private readonly rows = new Scoped<Message>();
  private readonly byKey = new Scoped<string>();
  /**
   * The stored rows per person, for claimSend's counts (entries are checked on read: moved rows are skipped).
   * A stored row keeps its identity for its whole life (writes copy into it), so this index holds the rows
   * themselves: counting walks a few objects instead of looking each id up in the workspace's big map.
   */
  private readonly byProfile = new Scoped<Message[]>();

  async insert(message: Message): Promise<{ message: Message; inserted: boolean }> {
    const keys = this.byKey.of(message.workspaceId);
    const existingId = keys.get(message.idempotencyKey);
    // The same id under the key is this message, stored by an earlier try of this insert.
    if (existingId !== undefined) return { message: copyMessage(this.rows.of(message.workspaceId).get(existingId)!), inserted: existingId === message.id };
    this.add(message);
    // The caller's own object back: the row is a copy, so nothing is shared, and a second copy would be waste.
    return { message, inserted: true };
  }

  async get(ws: string, id: string): Promise<Message | null> {
    const m = this.rows.of(ws).get(id);
    return m ? copyMessage(m) : null;
  }

  async getByKey(ws: string, idempotencyKey: string): Promise<Message | null> {
    const id = this.byKey.of(ws).get(idempotencyKey);
    return id === undefined ? null : this.get(ws, id);
  }

  async update(message: Message): Promise<void> {
    this.write(this.rows.of(message.workspaceId), message);
  }

  async list(ws: string, q: MessageQuery): Promise<Page<Message>> {
    const all = [...this.rows.of(ws).values()]
      .filter(
        (m) =>
          (q.profileId === undefined || m.profileId === q.profileId) &&
          (q.journeyId === undefined || m.journeyId === q.journeyId) &&
          (q.status === undefined || m.status === q.status) &&
          (q.channel === undefined || m.channel === q.channel) &&
          (q.sentFrom === undefined || (m.sentAt !== null && m.sentAt >= q.sentFrom)) &&
          (q.sentBefore === undefined || (m.sentAt !== null && m.sentAt < q.sentBefore)),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    const page = paginate(all, q.cursor, q.limit);
    return { items: page.items.map(copyMessage), nextCursor: page.nextCursor };
  }

  async countSent(ws: string, q: MessageCountQuery): Promise<number> {
    let n = 0;
    for (const m of this.rows.of(ws).values()) {
      if (
        m.profileId === q.profileId &&
        (m.status === "sent" || m.status === "delivered") &&
        m.sentAt !== null &&
        m.sentAt >= q.since &&
        (q.channel === undefined || m.channel === q.channel) &&
        (q.journeyId === undefined || m.journeyId === q.journeyId) &&
        (q.marketing === undefined || m.marketing === q.marketing)
      ) {
        n++;
      }
    }
    return n;
  }

  async claimSend(message: Message, limits: SendLimit[]): Promise<SendClaim> {
    // No await between the checks and the write: atomic within this process, which is all memory holds.
    const rows = this.rows.of(message.workspaceId);
    const stored = rows.get(message.id);
    if (!stored) return { claimed: false, reason: "status", status: "failed" };
    if ((stored.status !== "queued" && stored.status !== "deferred") || stored.attempts.length !== message.attempts.length) {
      return { claimed: false, reason: "status", status: stored.status };
    }
    const limited = this.limitReached(message, limits, stored);
    if (limited) return limited;
    this.write(rows, message);
    return { claimed: true };
  }

  async insertClaimed(message: Message, limits: SendLimit[]): Promise<InsertClaim> {
    // As claimSend: no await between the checks and the write.
    const existingId = this.byKey.of(message.workspaceId).get(message.idempotencyKey);
    if (existingId === message.id) return { claimed: true };
    if (existingId !== undefined) return { claimed: false, reason: "duplicate", message: copyMessage(this.rows.of(message.workspaceId).get(existingId)!) };
    const limited = this.limitReached(message, limits, null);
    if (limited) return limited;
    this.add(message);
    return { claimed: true };
  }

  /** Stores a copy of a message whose key is free. */
  private add(message: Message): void {
    this.byKey.of(message.workspaceId).set(message.idempotencyKey, message.id);
    const row = copyMessage(message);
    this.rows.of(message.workspaceId).set(message.id, row);
    this.indexProfile(message.workspaceId, message.profileId, row);
  }

  /** The first limit (in order) the person's other messages reach, counted in one pass; null if none. */
  private limitReached(message: Message, limits: SendLimit[], stored: Message | null): SendClaim | null {
    if (limits.length === 0) return null;
    const counts = limits.map(() => 0);
    const mine = this.byProfile.of(message.workspaceId).get(message.profileId) ?? [];
    // An array walked by index: no iterator object per claim, as a Set's for-of would make.
    for (let r = 0; r < mine.length; r++) {
      const m = mine[r]!;
      // Cheapest test first: rows are scattered in memory, so each field read may miss the cache.
      if (m === stored || !mayCount(m) || m.profileId !== message.profileId) continue;
      for (let i = 0; i < limits.length; i++) if (countsToward(m, limits[i]!)) counts[i]!++;
    }
    for (let i = 0; i < limits.length; i++) {
      if (counts[i]! >= limits[i]!.max) return { claimed: false, reason: "limit", limitId: limits[i]!.id, count: counts[i]! };
    }
    return null;
  }

  async spend(ws: string, q: SpendQuery): Promise<SpendRow[]> {
    const groups = new Map<string, SpendRow & { ids: Set<string> }>();
    for (const m of this.rows.of(ws).values()) {
      if (q.journeyId !== undefined && m.journeyId !== q.journeyId) continue;
      for (const a of m.attempts) {
        if (!a.cost || (q.from !== undefined && a.at < q.from) || (q.to !== undefined && a.at >= q.to)) continue;
        const key = JSON.stringify([m.journeyId, m.stepId, a.channel, a.cost.currency]);
        let g = groups.get(key);
        if (!g) {
          g = { journeyId: m.journeyId, stepId: m.stepId, channel: a.channel, currency: a.cost.currency, amount: 0, attempts: 0, messages: 0, ids: new Set() };
          groups.set(key, g);
        }
        g.amount += a.cost.amount;
        g.attempts++;
        g.ids.add(m.id);
      }
    }
    return [...groups.values()].map(({ ids, ...row }) => ({ ...row, messages: ids.size }));
  }

  async findByProviderMessageId(ws: string, providerMessageId: string): Promise<Message | null> {
    for (const m of this.rows.of(ws).values()) {
      if (m.attempts.some((a) => a.providerMessageId === providerMessageId)) return copyMessage(m);
    }
    return null;
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    const index = this.byProfile.of(ws);
    // A row that moves back to a person it belonged to is still in their list: never list it twice.
    const listed = new Set(index.get(toProfileId));
    for (const m of this.rows.of(ws).values()) {
      if (m.profileId === fromProfileId) {
        m.profileId = toProfileId;
        if (!listed.has(m)) this.indexProfile(ws, toProfileId, m);
      }
    }
  }

  async redactByProfile(ws: string, profileId: string): Promise<number> {
    return this.redactWhere(ws, (m) => m.profileId === profileId);
  }

  async redactOlderThan(ws: string, before: number): Promise<number> {
    return this.redactWhere(ws, (m) => m.createdAt < before);
  }

  async deleteOlderThan(ws: string, before: number): Promise<number> {
    const rows = this.rows.of(ws);
    const keys = this.byKey.of(ws);
    const gone = new Set<Message>();
    for (const [id, m] of rows) {
      if (m.createdAt < before) {
        rows.delete(id);
        keys.delete(m.idempotencyKey);
        gone.add(m);
      }
    }
    if (gone.size > 0) {
      // Rows stay listed under every person they belonged to (see reassignProfile): filter every list.
      const index = this.byProfile.of(ws);
      for (const [profileId, list] of index) {
        const kept = list.filter((m) => !gone.has(m));
        if (kept.length === 0) index.delete(profileId);
        else if (kept.length !== list.length) index.set(profileId, kept);
      }
    }
    return gone.size;
  }

  /** Replaces a stored row's contents in place (see byProfile), or stores a new row. */
  private write(rows: Map<string, Message>, message: Message): void {
    const row = rows.get(message.id);
    if (row) copyMessageInto(row, message);
    else rows.set(message.id, copyMessage(message));
  }

  private indexProfile(ws: string, profileId: string, row: Message): void {
    const index = this.byProfile.of(ws);
    const rows = index.get(profileId);
    if (rows) rows.push(row);
    else index.set(profileId, [row]);
  }

  private redactWhere(ws: string, pred: (m: Message) => boolean): number {
    let n = 0;
    for (const m of this.rows.of(ws).values()) {
      if (pred(m) && (m.content !== null || m.recipient !== null)) {
        m.content = null;
        m.recipient = null;
        n++;
      }
    }
    return n;
  }
}

/** Only sent, delivered and sending messages ever count toward a limit. */
function mayCount(m: Message): boolean {
  return m.status === "sent" || m.status === "delivered" || m.status === "sending";
}

function countsToward(m: Message, limit: SendLimit): boolean {
  const inWindow =
    ((m.status === "sent" || m.status === "delivered") && m.sentAt !== null && m.sentAt >= limit.since) ||
    (m.status === "sending" && m.updatedAt >= limit.since);
  return (
    inWindow &&
    (limit.channel === undefined || m.channel === limit.channel) &&
    (limit.journeyId === undefined || m.journeyId === limit.journeyId) &&
    (limit.marketing === undefined || m.marketing === limit.marketing)
  );
}
