import { inject, injectable } from "tsyringe";
import type { SegmentCondition } from "../../domain/segment.js";
import type { Clock } from "../../ports/clock.js";
import type { EnrollmentStore, EventStore, MessageStore, ProfileStore, SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { EvaluationContext, type SegmentStores } from "./evaluation-context.js";
import { SegmentEvaluator } from "./segment-evaluator.js";

export interface AudienceEstimate {
  /** Estimated people matching now (exact when `exact`). */
  count: number;
  sampled: number;
  matched: number;
  total: number;
  /** Everyone was evaluated. */
  exact: boolean;
}

export interface AudiencePreview {
  /** Up to `limit` matching profile ids. */
  profileIds: string[];
  scanned: number;
}

const PAGE = 500;

/**
 * Audience of a definition that is not saved: evaluated over a sample, nothing written. Profiles are
 * listed in id order and ids are random UUIDs, so the first N are a fair sample.
 */
@injectable()
export class AudienceEstimator {
  private readonly stores: SegmentStores;

  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.EventStore) events: EventStore,
    @inject(Tokens.MessageStore) messages: MessageStore,
    @inject(Tokens.EnrollmentStore) enrollments: EnrollmentStore,
    @inject(Tokens.SegmentStore) segments: SegmentStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(SegmentEvaluator) private readonly evaluator: SegmentEvaluator,
  ) {
    this.stores = { ws, profiles, events, messages, enrollments, segments };
  }

  async estimate(condition: SegmentCondition, sample: number): Promise<AudienceEstimate> {
    const total = await this.profiles.count(this.ws);
    let sampled = 0;
    let matched = 0;
    await this.scan(condition, sample, (_id, member) => {
      sampled++;
      if (member) matched++;
      return true;
    });
    const exact = sampled >= total;
    return { count: exact ? matched : sampled === 0 ? 0 : Math.round((matched / sampled) * total), sampled, matched, total, exact };
  }

  async preview(condition: SegmentCondition, limit: number, maxScan: number): Promise<AudiencePreview> {
    const profileIds: string[] = [];
    let scanned = 0;
    await this.scan(condition, maxScan, (id, member) => {
      scanned++;
      if (member) profileIds.push(id);
      return profileIds.length < limit;
    });
    return { profileIds, scanned };
  }

  async matches(condition: SegmentCondition, profileId: string): Promise<boolean> {
    const ctx = new EvaluationContext(this.stores, profileId, this.clock.now());
    if (!(await ctx.profile())) return false;
    return (await this.evaluator.evaluate(condition, ctx)).value;
  }

  /** Evaluates up to `max` people in id order; `visit` returns false to stop. */
  private async scan(condition: SegmentCondition, max: number, visit: (profileId: string, member: boolean) => boolean): Promise<void> {
    const now = this.clock.now();
    let cursor: string | null = null;
    let seen = 0;
    do {
      const page = await this.profiles.list(this.ws, { cursor, limit: Math.min(PAGE, max - seen) });
      for (const p of page.items) {
        const verdict = await this.evaluator.evaluate(condition, new EvaluationContext(this.stores, p.id, now, p));
        seen++;
        if (!visit(p.id, verdict.value) || seen >= max) return;
      }
      cursor = page.nextCursor;
    } while (cursor !== null && seen < max);
  }
}
