import { ConflictError, type Enrollment, type EnrollmentState, type EnrollmentStore } from "@nudge/core";
import { ENROLLMENT_COLUMNS, Where, type EnrollmentRow } from "@nudge/storage-sql-common";
import { codec, type PgColumns } from "./codec.js";
import type { PgDatabase } from "./pg-database.js";

type Row = EnrollmentRow<PgColumns>;

/** Enrollments, written with an optimistic `rev` check. Newest first means entered_at, then insertion order. */
export class PgEnrollmentStore implements EnrollmentStore {
  constructor(private readonly db: PgDatabase) {}

  async create(e: Enrollment): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO enrollments (${ENROLLMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0)
       ON CONFLICT (workspace_id, id) DO NOTHING RETURNING 1`,
      codec.enrollmentParams(e),
    );
    return rows.length === 1;
  }

  async get(ws: string, id: string): Promise<Enrollment | null> {
    const [r] = await this.db.query<Row>(`SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE workspace_id = $1 AND id = $2`, [ws, id]);
    return r ? codec.enrollment(r) : null;
  }

  async update(e: Enrollment): Promise<Enrollment> {
    const rows = await this.db.query(
      `UPDATE enrollments SET journey_id = $3, version = $4, profile_id = $5, state = $6, step_id = $7, visit = $8, context = $9, entered_at = $10,
         updated_at = $11, ended_at = $12, exit_reason = $13, converted_at = $14, rev = rev + 1
       WHERE workspace_id = $1 AND id = $2 AND rev = $15 RETURNING 1`,
      [...codec.enrollmentParams(e), e.rev],
    );
    if (rows.length === 0) throw new ConflictError("enrollment", e.id);
    return { ...structuredClone(e), rev: e.rev + 1 };
  }

  async listByProfile(ws: string, profileId: string, options: { journeyId?: string; state?: EnrollmentState } = {}): Promise<Enrollment[]> {
    const where = new Where("$n").add("workspace_id = ? AND profile_id = ?", ws, profileId).eq("journey_id", options.journeyId).eq("state", options.state);
    return (await this.db.query<Row>(`SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE ${where} ORDER BY entered_at DESC, seq DESC`, where.params)).map(codec.enrollment);
  }

  async latest(ws: string, journeyId: string, profileId: string): Promise<Enrollment | null> {
    const [r] = await this.db.query<Row>(
      `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE workspace_id = $1 AND profile_id = $2 AND journey_id = $3 ORDER BY entered_at DESC, seq DESC LIMIT 1`,
      [ws, profileId, journeyId],
    );
    return r ? codec.enrollment(r) : null;
  }

  async countByJourney(ws: string, journeyId: string): Promise<Record<EnrollmentState, number>> {
    const rows = await this.db.query<{ state: EnrollmentState; n: number }>(
      "SELECT state, COUNT(*) AS n FROM enrollments WHERE workspace_id = $1 AND journey_id = $2 GROUP BY state",
      [ws, journeyId],
    );
    const out: Record<EnrollmentState, number> = { active: 0, completed: 0, exited: 0 };
    for (const r of rows) out[r.state] = r.n;
    return out;
  }

  async countConverted(ws: string, journeyId: string, range: { from?: number; to?: number } = {}): Promise<number> {
    const [r] = await this.db.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM enrollments WHERE workspace_id = $1 AND journey_id = $2 AND converted_at >= $3 AND converted_at < $4",
      [ws, journeyId, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER],
    );
    return r?.n ?? 0;
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    await this.db.query("UPDATE enrollments SET profile_id = $3 WHERE workspace_id = $1 AND profile_id = $2", [ws, fromProfileId, toProfileId]);
  }

  async deleteByProfile(ws: string, profileId: string): Promise<number> {
    return this.db.deleteChunked("enrollments", "workspace_id = $1 AND profile_id = $2", [ws, profileId]);
  }
}
