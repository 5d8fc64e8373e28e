import { randomUUID } from "node:crypto";
import { inject, injectable } from "tsyringe";
import { z } from "zod";
import type { JobQueue } from "../../ports/job-queue.js";
import type { ProfileStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { SEGMENT_BACKFILL_JOB } from "./segment-jobs.js";
import { SegmentUpdater } from "./segment-updater.js";

const PAGE = 500;
/** Backfills run one page at a time, one after the other. */
const BACKFILL_KEY = "segments:backfill";

const BackfillJob = z.object({ segmentIds: z.array(z.string()), cursor: z.string().nullable(), ticket: z.string().optional() });

/**
 * Evaluates segments for everyone, from scratch: when a segment is saved (queued, a page per job, so
 * a restart resumes from the stored cursor with a durable queue) or on demand (`run`). Segments saved
 * together (a host defining its segments at boot) share one pass: the first backfill to start takes
 * every segment still waiting in this process, and the later jobs find nothing left to do.
 */
@injectable()
export class SegmentBackfill {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(SegmentUpdater) private readonly updater: SegmentUpdater,
  ) {}

  /** Backfills queued by this process and not started yet, by ticket. */
  private readonly pending = new Map<string, string[]>();
  /** Tickets whose segments an earlier backfill of this process took over. */
  private readonly absorbed = new Set<string>();

  async start(segmentIds: string[]): Promise<void> {
    const ticket = randomUUID();
    this.pending.set(ticket, segmentIds);
    await this.queue.add({ name: SEGMENT_BACKFILL_JOB, data: { segmentIds, cursor: null, ticket }, key: BACKFILL_KEY });
  }

  /** SEGMENT_BACKFILL_JOB: one page, then the next page is queued. */
  async onJob(data: Record<string, unknown>): Promise<void> {
    const job = BackfillJob.parse(data);
    let ids = job.segmentIds;
    if (job.cursor === null && job.ticket !== undefined) {
      if (this.absorbed.delete(job.ticket)) return;
      if (this.pending.has(job.ticket)) {
        // Take every backfill still waiting here: one pass instead of one per segment.
        ids = [...new Set([...this.pending.values()].flat())];
        for (const t of this.pending.keys()) if (t !== job.ticket) this.absorbed.add(t);
        this.pending.clear();
      }
    }
    const next = await this.page(ids, job.cursor);
    if (next.cursor !== null) await this.queue.add({ name: SEGMENT_BACKFILL_JOB, data: { segmentIds: ids, cursor: next.cursor }, key: BACKFILL_KEY });
  }

  /** Every page now, in this call. Returns how many people were evaluated and memberships changed. */
  async run(segmentIds: string[]): Promise<{ profiles: number; changes: number }> {
    let cursor: string | null = null;
    let profiles = 0;
    let changes = 0;
    do {
      const page = await this.page(segmentIds, cursor);
      profiles += page.profiles;
      changes += page.changes;
      cursor = page.cursor;
    } while (cursor !== null);
    return { profiles, changes };
  }

  private async page(segmentIds: string[], cursor: string | null): Promise<{ cursor: string | null; profiles: number; changes: number }> {
    const page = await this.profiles.list(this.ws, { cursor, limit: PAGE });
    let changes = 0;
    for (const p of page.items) changes += await this.updater.evaluate(p.id, segmentIds, p);
    return { cursor: page.nextCursor, profiles: page.items.length, changes };
  }
}
