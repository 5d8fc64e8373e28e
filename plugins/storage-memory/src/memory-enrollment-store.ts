import { ConflictError, type Enrollment, type EnrollmentState, type EnrollmentStore } from "@nudge/core";
import { clone, Scoped } from "./util.js";

export class MemoryEnrollmentStore implements EnrollmentStore {
  private readonly rows = new Scoped<Enrollment>();

  async create(enrollment: Enrollment): Promise<boolean> {
    const rows = this.rows.of(enrollment.workspaceId);
    if (rows.has(enrollment.id)) return false;
    rows.set(enrollment.id, clone({ ...enrollment, rev: 0 }));
    return true;
  }

  async get(ws: string, id: string): Promise<Enrollment | null> {
    const e = this.rows.of(ws).get(id);
    return e ? clone(e) : null;
  }

  async update(enrollment: Enrollment): Promise<Enrollment> {
    const rows = this.rows.of(enrollment.workspaceId);
    const current = rows.get(enrollment.id);
    if (!current || current.rev !== enrollment.rev) throw new ConflictError("enrollment", enrollment.id);
    const saved = clone({ ...enrollment, rev: enrollment.rev + 1 });
    rows.set(enrollment.id, saved);
    return clone(saved);
  }

  async listByProfile(ws: string, profileId: string, options: { journeyId?: string; state?: EnrollmentState } = {}): Promise<Enrollment[]> {
    return [...this.rows.of(ws).values()]
      .filter(
        (e) =>
          e.profileId === profileId &&
          (options.journeyId === undefined || e.journeyId === options.journeyId) &&
          (options.state === undefined || e.state === options.state),
      )
      .sort((a, b) => b.enteredAt - a.enteredAt)
      .map(clone);
  }

  async latest(ws: string, journeyId: string, profileId: string): Promise<Enrollment | null> {
    return (await this.listByProfile(ws, profileId, { journeyId }))[0] ?? null;
  }

  async countByJourney(ws: string, journeyId: string): Promise<Record<EnrollmentState, number>> {
    const out: Record<EnrollmentState, number> = { active: 0, completed: 0, exited: 0 };
    for (const e of this.rows.of(ws).values()) if (e.journeyId === journeyId) out[e.state]++;
    return out;
  }

  async countConverted(ws: string, journeyId: string, range: { from?: number; to?: number } = {}): Promise<number> {
    let n = 0;
    for (const e of this.rows.of(ws).values()) {
      const at = e.convertedAt;
      if (e.journeyId === journeyId && at !== null && (range.from === undefined || at >= range.from) && (range.to === undefined || at < range.to)) n++;
    }
    return n;
  }

  async reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void> {
    for (const e of this.rows.of(ws).values()) if (e.profileId === fromProfileId) e.profileId = toProfileId;
  }

  async deleteByProfile(ws: string, profileId: string): Promise<number> {
    const rows = this.rows.of(ws);
    let n = 0;
    for (const [k, e] of rows) {
      if (e.profileId === profileId) {
        rows.delete(k);
        n++;
      }
    }
    return n;
  }
}
