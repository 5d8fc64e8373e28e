import { inject, injectable } from "tsyringe";
import type { NudgeEvent } from "../../domain/event.js";
import type { JobQueue } from "../../ports/job-queue.js";
import type { EventStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { EngineTokens } from "../engine-tokens.js";
import type { Hooks } from "../hooks.js";
import { RecentEvents } from "./recent-events.js";

export const PROCESS_EVENT_JOB = "event.process";

/**
 * A stored event's way through processing: handed over (the "event.accepted" hook, then the event's job
 * on the queue, keyed by the person: one person's events are processed one at a time, in order), taken
 * by its job, marked processed; and, at start, the events a crash left stored but unprocessed.
 */
@injectable()
export class EventHandoff {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.EventStore) private readonly events: EventStore,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(EngineTokens.Hooks) private readonly hooks: Hooks,
    @inject(RecentEvents) private readonly recent: RecentEvents,
  ) {}

  /** Re-queues events stored but never processed (after a crash). Returns how many. */
  async replayUnprocessed(batch = 500): Promise<number> {
    const pending = await this.events.listUnprocessed(this.ws, batch);
    for (const e of pending) {
      await this.queue.add({ name: PROCESS_EVENT_JOB, data: { messageId: e.messageId }, key: e.profileId });
    }
    return pending.length;
  }

  /** Announces a stored event and queues its processing; answers a promise only when there is a job to add. */
  enqueue(event: NudgeEvent, created: boolean): Promise<void> | undefined {
    this.hooks.emit("event.accepted", event);
    if (event.processedAt !== null) return undefined;
    return this.addJob(event, created);
  }

  private async addJob(event: NudgeEvent, created: boolean): Promise<void> {
    // Processing usually starts before anything else could change the event: it reads this copy.
    this.recent.put(event);
    await this.queue.add({
      name: PROCESS_EVENT_JOB,
      data: { messageId: event.messageId, profileId: event.profileId, event: event.name, type: event.type, created },
      key: event.profileId,
    });
  }

  /** The event a job names: the copy ingest just stored when it is still at hand, else the stored one. */
  async take(messageId: string): Promise<NudgeEvent | null> {
    return this.recent.take(messageId) ?? (await this.events.getByMessageId(this.ws, messageId));
  }

  /** The last stage of processing: a replay skips the event from now on. */
  async markProcessed(event: NudgeEvent, at: number): Promise<void> {
    await this.events.markProcessed(this.ws, [event.id], at);
  }
}
