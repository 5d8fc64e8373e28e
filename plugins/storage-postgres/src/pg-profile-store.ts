import { ConflictError, type Page, type Profile, type ProfileStore } from "@nudge/core";
import { decodeCursor, IdCursor, PROFILE_COLUMNS, toPage, type ProfileRow } from "@nudge/storage-sql-common";
import { codec, type PgColumns } from "./codec.js";
import { constraintOf, isUniqueViolation } from "./errors.js";
import type { PgDatabase } from "./pg-database.js";

type Row = ProfileRow<PgColumns>;
/** The primary key of profile_anonymous_ids (PostgreSQL's default name for it), named by its unique violations. */
const ANONYMOUS_ID_KEY = "profile_anonymous_ids_pkey";
const P = PROFILE_COLUMNS.split(", ").map((c) => `p.${c}`).join(", ");

/** Profiles in one row each; anonymous ids also in their own table, which indexes and guards them. */
export class PgProfileStore implements ProfileStore {
  constructor(private readonly db: PgDatabase) {}

  async get(ws: string, id: string): Promise<Profile | null> {
    return this.one(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = $1 AND id = $2`, [ws, id]);
  }

  async getByUserId(ws: string, userId: string): Promise<Profile | null> {
    return this.one(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = $1 AND user_id = $2`, [ws, userId]);
  }

  async getByAnonymousId(ws: string, anonymousId: string): Promise<Profile | null> {
    return this.one(
      `SELECT ${P} FROM profile_anonymous_ids a JOIN profiles p ON p.workspace_id = a.workspace_id AND p.id = a.profile_id
       WHERE a.workspace_id = $1 AND a.anonymous_id = $2`,
      [ws, anonymousId],
    );
  }

  async idsByUserId(ws: string, userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.query<{ user_id: string; id: string }>("SELECT user_id, id FROM profiles WHERE workspace_id = $1 AND user_id = ANY($2::text[])", [ws, [...userIds]]);
    return new Map(rows.map((r) => [r.user_id, r.id]));
  }

  async findByContact(ws: string, kind: "email" | "phone", address: string): Promise<Profile[]> {
    const column = kind === "email" ? "email" : "phone";
    return (await this.db.query<Row>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = $1 AND ${column} = $2 ORDER BY id`, [ws, address])).map(codec.profile);
  }

  async save(profile: Profile): Promise<Profile> {
    return this.write(profile, true);
  }

  /**
   * Locks in one order, the profile's row first and its anonymous ids after (as `delete` does), so a save
   * and a delete of one person queue on the row instead of deadlocking. New ids are inserted sorted: two
   * saves claiming the same ids wait on the first of them, never on each other in a cycle.
   */
  private async write(profile: Profile, repair: boolean): Promise<Profile> {
    const saved: Profile = { ...profile, version: profile.version + 1 };
    const values = codec.profileParams(saved);
    try {
      await this.db.tx(async (q) => {
        if (profile.version === 0) {
          await q.query(
            `INSERT INTO profiles (user_id, email, phone, anonymous_ids, traits, contacts, timezone, locale, subscriptions, night_ad_consent,
               created_at, updated_at, last_seen_at, version, workspace_id, id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
            [...values, profile.workspaceId, profile.id],
          );
        } else {
          const updated = await q.query(
            `UPDATE profiles SET user_id = $1, email = $2, phone = $3, anonymous_ids = $4, traits = $5, contacts = $6, timezone = $7, locale = $8,
               subscriptions = $9, night_ad_consent = $10, created_at = $11, updated_at = $12, last_seen_at = $13, version = $14
             WHERE workspace_id = $15 AND id = $16 AND version = $17 RETURNING 1`,
            [...values, profile.workspaceId, profile.id, profile.version],
          );
          if (updated.length === 0) throw new ConflictError("profile", profile.id);
          await q.query("DELETE FROM profile_anonymous_ids WHERE workspace_id = $1 AND profile_id = $2", [profile.workspaceId, profile.id]);
        }
        if (profile.anonymousIds.length > 0) {
          await q.query("INSERT INTO profile_anonymous_ids (workspace_id, anonymous_id, profile_id) SELECT $1, a, $3 FROM unnest($2::text[]) AS a", [
            profile.workspaceId,
            [...new Set(profile.anonymousIds)].sort(),
            profile.id,
          ]);
        }
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // An anonymous id is taken: by a live profile (a real conflict), or by a row a deleted profile left.
      if (repair && constraintOf(e) === ANONYMOUS_ID_KEY && (await this.freeDanglingIds(profile))) return this.write(profile, false);
      throw new ConflictError("profile", profile.id);
    }
    return saved;
  }

  /**
   * Repair: removes rows of these anonymous ids whose profile is gone. Before `delete` locked the profile's
   * row first, a save committing while the same profile was deleted could leave such a row behind, and
   * every later claim of the id conflicted with it for good. Returns whether any was removed. Safe with
   * concurrent writers: an id row is never updated, so a row inserted meanwhile is not seen here.
   */
  private async freeDanglingIds(profile: Profile): Promise<boolean> {
    if (profile.anonymousIds.length === 0) return false;
    const freed = await this.db.query(
      `DELETE FROM profile_anonymous_ids a WHERE a.workspace_id = $1 AND a.anonymous_id = ANY($2::text[])
         AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.workspace_id = a.workspace_id AND p.id = a.profile_id) RETURNING 1`,
      [profile.workspaceId, [...new Set(profile.anonymousIds)]],
    );
    return freed.length > 0;
  }

  /**
   * The profile's row first, then its anonymous ids (the order `write` locks them in). Under READ COMMITTED
   * each statement sees what was committed before it began, so the second one, run once the row lock is held,
   * also sees ids a save committed while this delete waited for that lock: none is left pointing at a deleted
   * profile (https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED).
   */
  async delete(ws: string, id: string): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query("DELETE FROM profiles WHERE workspace_id = $1 AND id = $2", [ws, id]);
      await q.query("DELETE FROM profile_anonymous_ids WHERE workspace_id = $1 AND profile_id = $2", [ws, id]);
    });
  }

  async list(ws: string, options: { cursor?: string | null; limit: number }): Promise<Page<Profile>> {
    const after = options.cursor ? decodeCursor(options.cursor, IdCursor)[0] : "";
    const rows = await this.db.query<Row>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE workspace_id = $1 AND id > $2 ORDER BY id LIMIT $3`, [ws, after, options.limit + 1]);
    return toPage(rows, options.limit, codec.profile, (p) => [p.id]);
  }

  async count(ws: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>("SELECT COUNT(*) AS n FROM profiles WHERE workspace_id = $1", [ws]);
    return row?.n ?? 0;
  }

  private async one(sql: string, params: unknown[]): Promise<Profile | null> {
    const [row] = await this.db.query<Row>(sql, params);
    return row ? codec.profile(row) : null;
  }
}
