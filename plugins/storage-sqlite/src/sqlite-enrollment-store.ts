import { ConflictError, type Enrollment, type EnrollmentState, type EnrollmentStore } from "@nudge/core";
import { ENROLLMENT_COLUMNS, Where, type EnrollmentRow } from "@nudge/storage-sql-common";
import { codec, type SqliteColumns } from "./codec.js";
import type { SqliteDatabase } from "./sqlite-database.js";

type Row = EnrollmentRow<SqliteColumns>;

/** Enrollments, written with an optimistic `rev` check. Newest first means entered_at, then insertion order. */
export class SqliteEnrollmentStore implements EnrollmentStore {
  constructor(private readonly db: SqliteDatabase) {}

  async create(e: Enrollment): Promise<boolean> {
    return this.db.write(
      () =>
        this.db
          .stmt(`INSERT INTO enrollments (${ENROLLMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT (workspace_id, id) DO NOTHING`)
          .run(...codec.enrollmentParams(e))
          .changes === 1,
    );
  }

  async get(ws: string, id: string): Promise<Enrollment | null> {
    const r = this.db.guard(() => this.db.stmt(`SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE workspace_id = ? AND id = ?`).get(ws, id) as Row | undefined);
    return r ? codec.enrollment(r) : null;
  }

  async update(e: Enrollment): Promise<Enrollment> {
    const changed = await this.db.write(
      () =>
        this.db
          .stmt(
            `UPDATE enrollments SET journey_id = ?, version = ?, profile_id = ?, state = ?, step_id = ?, visit = ?, context = ?, entered_at = ?,
               updated_at = ?, ended_at = ?, exit_reason = ?, converted_at = ?, rev = rev + 1
             WHERE workspace_id = ? AND id = ? AND rev = ?`,
          )
          .run(...codec.enrollmentParams(e).slice(2), e.workspaceId, e.id, e.rev)
          .changes,
    );
    if (changed === 0) throw new ConflictError("enrollment", e.id);
    return { ...structuredClone(e), rev: e.rev + 1 };
  }

  async listByProfile(ws: string, profileId: string, options: { journeyId?: string; state?: EnrollmentState } = {}): Promise<Enrollment[]> {
    const where = new Where("?").add("workspace_id = ? AND profile_id = ?", ws, profileId).eq("journey_id", options.journeyId).eq("state", options.state);
    const sql = `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE ${where} ORDER BY entered_at DESC, rowid DESC`;
    return (this.db.guard(() => this.db.stmt(sql).all(...where.params)) as Row[]).map(codec.enrollment);
  }

  async latest(ws: string, journeyId: string, profileId: string): Promise<Enrollment | null> {
    const r = this.db.guard(
      () =>
        this.db
          .stmt(`SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE workspace_id = ? AND profile_id = ? AND journey_id = ? ORDER BY entered_at DESC, rowid DESC LIMIT 1`)
          .get(ws, profileId, journeyId) as Row | undefined,
    );
    return r ? codec.enrollment(r) : null;
  }

  async countByJourney(ws: string, journeyId: string): Promise<Record<EnrollmentState, number>> {
    const rows = this.db.guard(
      () => this.db.stmt("SELECT state, COUNT(*) AS n FROM enrollments WHERE workspace_id = ? AND journey_id = ? GROUP BY state").all(ws, journeyId) as { state: EnrollmentState; n: number }[],
    );
    const out: Record<EnrollmentState, number> = { active: 0, completed: 0, exited: 0 };
    for (const r of rows) out[r.state] = r.n;
    return out;
  }

  async countConverted(ws: string, journeyId: string, range: { from?: number; to?: number } = {}): Promise<number> {
    return this.db.guard(
      () =>
        this.db
          .stmt("SELECT COUNT(*) FROM enrollments WHERE workspace_id = ? AND journey_id = ? AND converted_at >= ? AND converted_at < ?")
          .pluck()
          .get(ws, journeyId, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER) as number,
    );
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    await this.db.write(() => this.db.stmt("UPDATE enrollments SET profile_id = ? WHERE workspace_id = ? AND profile_id = ?").run(toProfileId, ws, fromProfileId));
  }

  async deleteByProfile(ws: string, profileId: string): Promise<number> {
    return this.db.deleteChunked("enrollments", "workspace_id = ? AND profile_id = ?", [ws, profileId]);
  }
}
