import { inject, injectable } from "tsyringe";
import type { Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { SegmentStore, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { SegmentChange } from "../engine-tokens.js";
import { EvaluationContext } from "./evaluation-context.js";
import { SegmentCatalog } from "./segment-catalog.js";
import { SegmentChanges } from "./segment-changes.js";
import { SegmentEvaluator } from "./segment-evaluator.js";
import { SEGMENT_RECHECK_TIMER } from "./segment-jobs.js";
import { SegmentReads } from "./segment-reads.js";

/**
 * Keeps segment membership current, one person at a time: re-evaluates only the segments a change can
 * affect (then those referring to a segment that changed), writes membership, and announces each change
 * (SegmentChanges) once, because SegmentStore.setMember reports a change only to the writer that made it.
 * A condition that can flip with time gets a timer for that instant.
 */
@injectable()
export class SegmentUpdater {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(SegmentReads) private readonly reads: SegmentReads,
    @inject(Tokens.SegmentStore) private readonly segments: SegmentStore,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(SegmentCatalog) private readonly catalog: SegmentCatalog,
    @inject(SegmentEvaluator) private readonly evaluator: SegmentEvaluator,
    @inject(SegmentChanges) private readonly changes: SegmentChanges,
  ) {}

  /**
   * Evaluates `seeds` (and, on a change, the segments that refer to it) for one person. `profile` may be
   * passed when already read. Returns how many memberships changed.
   *
   * With `event` (a track event just stored), seeds the event moves in one direction only (see
   * Polarity) are cheaper: one it can only push further the way it already is (a member of "bought
   * twice", a non-member of "did not log in") is not evaluated at all; one whose result does not change
   * keeps its timer. In both cases one more event can only delay the flip, so the timer set at the last
   * evaluation still fires no later than the flip, and its re-evaluation sets the next one.
   */
  async evaluate(profileId: string, seeds: Iterable<string>, profile?: Profile | null, event?: string): Promise<number> {
    const index = await this.catalog.index();
    const dirty = new Set(seeds);
    const now = this.clock.now();
    const ctx = new EvaluationContext(this.reads, profileId, now, profile, index.hints);
    // One read of the person's memberships: only a differing result is written (setMember still
    // arbitrates, so a change is reported once even when two writers race).
    const current = new Set(await this.segments.segmentsOf(this.ws, profileId));
    let changes = 0;
    const monotone = new Set<string>();
    if (event !== undefined) {
      for (const id of dirty) {
        const polarity = index.polarity(id, event);
        if (polarity === "up" || polarity === "down") monotone.add(id);
        if ((polarity === "up" && current.has(id)) || (polarity === "down" && !current.has(id))) dirty.delete(id);
        else if (polarity === "band" && !current.has(id)) {
          const timer = await this.timers.get(this.ws, recheckId(id, profileId));
          if (timer && timer.dueAt > now) dirty.delete(id);
        }
      }
    }
    for (const def of index.ordered) {
      if (!dirty.has(def.id)) continue;
      const verdict = await this.evaluator.evaluate(def.condition, ctx);
      ctx.decided.set(def.id, verdict.value);
      const changed = verdict.value !== current.has(def.id);
      // The timer first: a crash before the membership write still leaves a re-check behind.
      if (verdict.nextCheck !== null && (changed || !monotone.has(def.id))) await this.recheckAt(def.id, profileId, verdict.nextCheck, !changed);
      if (!changed) continue;
      const change: SegmentChange = { segmentId: def.id, profileId, change: verdict.value ? "entered" : "exited", at: now };
      // The notice first: a crash between the membership write and the change's job still tells journeys.
      // A change no journey reacts to needs neither.
      const notice = await this.changes.hold(change);
      if (!(await this.segments.setMember(this.ws, def.id, profileId, verdict.value, now))) {
        await this.changes.drop(notice);
        continue;
      }
      // A deleted (erased, merged-away) person joins nothing, whatever job or timer was still pending.
      // Checked on a change only: changes are rare next to evaluations.
      if (!(await ctx.profile())) {
        await this.segments.setMember(this.ws, def.id, profileId, false, now);
        await this.changes.drop(notice);
        return changes;
      }
      changes++;
      for (const d of index.dependentsOf(def.id)) dirty.add(d);
      await this.changes.emit(change, notice);
    }
    return changes;
  }

  /**
   * One timer per (segment, person), at the instant the condition can next flip, replacing the one set
   * by the previous evaluation: a full evaluation knows every flip ahead. A timer firing now is
   * replaced too (TimerStore.complete then keeps the new schedule).
   */
  private async recheckAt(segmentId: string, profileId: string, at: number, unchanged: boolean): Promise<void> {
    const id = recheckId(segmentId, profileId);
    // A result that did not change often keeps its flip instant (a sum's oldest event): a read is cheaper.
    if (unchanged && (await this.timers.get(this.ws, id))?.dueAt === at) return;
    await this.timers.schedule({ workspaceId: this.ws, id, dueAt: at, kind: SEGMENT_RECHECK_TIMER, payload: { segmentId, profileId } });
  }
}

const recheckId = (segmentId: string, profileId: string) => `${SEGMENT_RECHECK_TIMER}:${segmentId}:${profileId}`;

/** The trait names an identify event sets. */
export function traitNames(properties: Record<string, unknown>): string[] {
  const names: string[] = [];
  for (const key of ["traits", "traitsOnce"]) {
    const t = properties[key];
    if (t && typeof t === "object") names.push(...Object.keys(t));
  }
  return names;
}
