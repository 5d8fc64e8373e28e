import { ConflictError, type Page, type Profile, type ProfileStore } from "@nudge/core";
import { decodeCursor, IdCursor, PROFILE_COLUMNS, toPage, type ProfileRow } from "@nudge/storage-sql-common";
import { codec, type SqliteColumns } from "./codec.js";
import { conflictOr } from "./errors.js";
import type { SqliteDatabase } from "./sqlite-database.js";

type Row = ProfileRow<SqliteColumns>;
const P = PROFILE_COLUMNS.split(", ").map((c) => `p.${c}`).join(", ");

/** Profiles in one row each; anonymous ids also in their own table, which indexes and guards them. */
export class SqliteProfileStore implements ProfileStore {
  constructor(private readonly db: SqliteDatabase) {}

  async get(ws: string, id: string): Promise<Profile | null> {
    return this.one(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = ? AND id = ?`, ws, id);
  }

  async getByUserId(ws: string, userId: string): Promise<Profile | null> {
    return this.one(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = ? AND user_id = ?`, ws, userId);
  }

  async getByAnonymousId(ws: string, anonymousId: string): Promise<Profile | null> {
    return this.one(
      `SELECT ${P} FROM profile_anonymous_ids a JOIN profiles p ON p.workspace_id = a.workspace_id AND p.id = a.profile_id
       WHERE a.workspace_id = ? AND a.anonymous_id = ?`,
      ws,
      anonymousId,
    );
  }

  async idsByUserId(ws: string, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    if (userIds.length === 1) {
      // A track call's lookup: a plain index probe, about half what json_each costs for one value.
      const userId = userIds[0]!;
      const id = this.db.guard(() => this.db.stmt("SELECT id FROM profiles WHERE workspace_id = ? AND user_id = ?").pluck(true).get(ws, userId) as string | undefined);
      return id === undefined ? new Map() : new Map([[userId, id]]);
    }
    // One statement for the whole list: json_each turns the JSON array into rows, each an index lookup.
    // Rows as [user_id, id] arrays (raw mode): the Map takes them as they are, no object per row.
    const rows = this.db.guard(
      () =>
        this.db
          .stmt("SELECT user_id, id FROM profiles WHERE workspace_id = ? AND user_id IN (SELECT value FROM json_each(?))")
          .raw(true)
          .all(ws, JSON.stringify(userIds)) as [string, string][],
    );
    return new Map(rows);
  }

  async findByContact(ws: string, kind: "email" | "phone", address: string): Promise<Profile[]> {
    const column = kind === "email" ? "email" : "phone";
    const rows = this.db.guard(() => this.db.stmt(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = ? AND ${column} = ? ORDER BY id`).all(ws, address) as Row[]);
    return rows.map(codec.profile);
  }

  async save(profile: Profile): Promise<Profile> {
    const saved: Profile = { ...profile, version: profile.version + 1 };
    const values = codec.profileParams(saved);
    try {
      await this.db.write(() => {
        if (profile.version === 0) {
          this.db
            .stmt(
              `INSERT INTO profiles (workspace_id, id, user_id, email, phone, anonymous_ids, traits, contacts, timezone, locale, subscriptions,
                 night_ad_consent, created_at, updated_at, last_seen_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(profile.workspaceId, profile.id, ...values);
        } else {
          const changed = this.db
            .stmt(
              `UPDATE profiles SET user_id = ?, email = ?, phone = ?, anonymous_ids = ?, traits = ?, contacts = ?, timezone = ?, locale = ?,
                 subscriptions = ?, night_ad_consent = ?, created_at = ?, updated_at = ?, last_seen_at = ?, version = ?
               WHERE workspace_id = ? AND id = ? AND version = ?`,
            )
            .run(...values, profile.workspaceId, profile.id, profile.version).changes;
          if (changed === 0) throw new ConflictError("profile", profile.id);
          this.db.stmt("DELETE FROM profile_anonymous_ids WHERE workspace_id = ? AND profile_id = ?").run(profile.workspaceId, profile.id);
        }
        const link = this.db.stmt("INSERT INTO profile_anonymous_ids (workspace_id, anonymous_id, profile_id) VALUES (?, ?, ?)");
        for (const a of new Set(profile.anonymousIds)) link.run(profile.workspaceId, a, profile.id);
      });
    } catch (e) {
      throw conflictOr(e, "profile", profile.id);
    }
    return saved;
  }

  async delete(ws: string, id: string): Promise<void> {
    await this.db.write(() => {
      this.db.stmt("DELETE FROM profile_anonymous_ids WHERE workspace_id = ? AND profile_id = ?").run(ws, id);
      this.db.stmt("DELETE FROM profiles WHERE workspace_id = ? AND id = ?").run(ws, id);
    });
  }

  async list(ws: string, options: { cursor?: string | null; limit: number }): Promise<Page<Profile>> {
    const after = options.cursor ? decodeCursor(options.cursor, IdCursor)[0] : null;
    const rows = this.db.guard(
      () =>
        (after === null
          ? this.db.stmt(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = ? ORDER BY id LIMIT ?`).all(ws, options.limit + 1)
          : this.db.stmt(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?`).all(ws, after, options.limit + 1)) as Row[],
    );
    return toPage(rows, options.limit, codec.profile, (p) => [p.id]);
  }

  async count(ws: string): Promise<number> {
    return this.db.guard(() => (this.db.stmt("SELECT COUNT(*) AS n FROM profiles WHERE workspace_id = ?").get(ws) as { n: number }).n);
  }

  private one(sql: string, ...params: unknown[]): Profile | null {
    const row = this.db.guard(() => this.db.stmt(sql).get(...params) as Row | undefined);
    return row ? codec.profile(row) : null;
  }
}
