import { inject, injectable } from "tsyringe";
import { z } from "zod";
import type { JobQueue } from "../../ports/job-queue.js";
import type { Logger } from "../../ports/logger.js";
import type { EventStore, Timer } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { Hooks } from "../hooks.js";
import { SegmentCatalog } from "./segment-catalog.js";
import { SEGMENT_EVALUATE_JOB, type EvaluateJob } from "./segment-jobs.js";
import { SegmentUpdater, traitNames } from "./segment-updater.js";

const EvaluateJobData = z.object({
  profileId: z.string().min(1),
  all: z.boolean().optional(),
  causes: z.array(z.enum(["received", "converted"])).optional(),
});

/**
 * What asks for a person's segments to be evaluated, and which segments: an accepted event (the
 * pipeline's segment stage), an evaluation job, a re-check timer, engagement that is not an event.
 */
@injectable()
export class SegmentRequests {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.EventStore) private readonly events: EventStore,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(SegmentCatalog) private readonly catalog: SegmentCatalog,
    @inject(SegmentUpdater) private readonly updater: SegmentUpdater,
  ) {}

  /**
   * The segment stage of processing an accepted event (before journeys see it; a replay repeats both).
   * A track job carries the event's name and person, so an event no segment names costs no read.
   */
  async onEvent(job: Record<string, unknown>): Promise<void> {
    const index = await this.catalog.index();
    if (index.size === 0) return;
    const { profileId, event: name, type } = job;
    if (job["created"] === true && typeof profileId === "string") {
      await this.updater.evaluate(profileId, index.ids);
      return;
    }
    if (type === "track" && typeof name === "string" && typeof profileId === "string") {
      const ids = index.forEvent(name);
      if (ids.length > 0) await this.updater.evaluate(profileId, ids, undefined, name);
      return;
    }
    const event = await this.events.getByMessageId(this.ws, String(job["messageId"]));
    if (!event || event.processedAt !== null) return;
    const traits = event.type === "identify" ? traitNames(event.properties) : [];
    const ids = index.forEvent(event.name, traits);
    if (ids.length > 0) await this.updater.evaluate(event.profileId, ids);
  }

  /** SEGMENT_EVALUATE_JOB. */
  async onJob(data: Record<string, unknown>): Promise<void> {
    const job = EvaluateJobData.parse(data);
    const index = await this.catalog.index();
    const ids = job.all ? index.ids : (job.causes ?? []).flatMap((c) => index.forCause(c));
    if (ids.length > 0) await this.updater.evaluate(job.profileId, ids);
  }

  /** SEGMENT_RECHECK_TIMER: a time-based condition of one segment may have flipped. */
  async onRecheck(timer: Timer): Promise<void> {
    const { segmentId, profileId } = timer.payload;
    if (typeof segmentId === "string" && typeof profileId === "string") await this.updater.evaluate(profileId, [segmentId]);
  }

  /** Queues a re-evaluation of one person, unless no segment could care. */
  async request(profileId: string, job: Omit<EvaluateJob, "profileId">): Promise<void> {
    const index = await this.catalog.index();
    if (index.size === 0) return;
    if (!job.all && !(job.causes ?? []).some((c) => index.forCause(c).length > 0)) return;
    await this.queue.add({ name: SEGMENT_EVALUATE_JOB, data: { profileId, ...job }, key: profileId });
  }

  /** Engagement that is not an event: a message sent or delivered, a journey conversion. */
  listen(hooks: Hooks): void {
    const request = (profileId: string, cause: "received" | "converted") =>
      void this.request(profileId, { causes: [cause] }).catch((err: unknown) => this.logger.warn({ err, cause }, "segment re-evaluation not queued"));
    hooks.on("message.updated", (m) => {
      if (m.status !== "sent" && m.status !== "delivered") return;
      // Every send lands here: when the cached index already says no segment reads "received", stop
      // synchronously instead of starting request()'s promise chain to learn the same.
      const index = this.catalog.peek();
      if (index !== null && index.forCause("received").length === 0) return;
      request(m.profileId, "received");
    });
    hooks.on("enrollment.updated", (e) => {
      if (e.convertedAt !== null) request(e.profileId, "converted");
    });
  }
}
