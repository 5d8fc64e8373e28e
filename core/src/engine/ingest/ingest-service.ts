import { randomUUID } from "node:crypto";
import { inject, injectable } from "tsyringe";
import { ValidationError } from "../../errors.js";
import { IdentifyInput, TrackInput, type NudgeEvent } from "../../domain/event.js";
import type { Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { JobQueue } from "../../ports/job-queue.js";
import type { EventStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { Hooks } from "../hooks.js";
import { ProfileService } from "../profiles/profile-service.js";
import { ContactNormalizer } from "../profiles/contact-normalizer.js";

export interface Accepted {
  /** false when the messageId was seen before: nothing new was stored. */
  accepted: boolean;
  eventId: string;
  profileId: string;
}

export const PROCESS_EVENT_JOB = "event.process";

/**
 * The front door: validate, resolve the person, store the event (deduplicated by messageId), then hand
 * processing to the queue. Accepted means durable: the event is stored before this resolves, and an
 * event stored but not processed (a crash) is replayed at start.
 */
@injectable()
export class IngestService {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.EventStore) private readonly events: EventStore,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Hooks) private readonly hooks: Hooks,
    @inject(ProfileService) private readonly profiles: ProfileService,
    @inject(ContactNormalizer) private readonly contacts: ContactNormalizer,
  ) {}

  async track(input: unknown): Promise<Accepted> {
    const parsed = TrackInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("track call", parsed.error);
    const t = parsed.data;
    const profile = await this.profiles.resolve(t);
    return this.accept(profile, {
      type: "track",
      name: t.event,
      messageId: t.messageId,
      userId: t.userId,
      anonymousId: t.anonymousId,
      properties: t.properties ?? {},
      context: t.context ?? {},
      timestamp: t.timestamp,
    });
  }

  async identify(input: unknown, applyTraits: (profile: Profile, event: NudgeEvent) => Promise<Profile>): Promise<Accepted> {
    const parsed = IdentifyInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("identify call", parsed.error);
    const t = parsed.data;
    // Contact traits are normalized, and a bad one refused naming it, before anything is stored.
    const traits = this.contacts.identify(t.traits ?? {}, t.traitsOnce ?? {});
    const profile = await this.profiles.resolve(t);
    return this.accept(
      profile,
      {
        type: "identify",
        name: "identify",
        messageId: t.messageId,
        userId: t.userId,
        anonymousId: t.anonymousId,
        properties: { traits: traits.traits, traitsOnce: traits.traitsOnce },
        context: t.context ?? {},
        timestamp: t.timestamp,
      },
      applyTraits,
    );
  }

  private async accept(
    profile: Profile,
    e: {
      type: NudgeEvent["type"];
      name: string;
      messageId: string | undefined;
      userId: string | undefined;
      anonymousId: string | undefined;
      properties: Record<string, unknown>;
      context: Record<string, unknown>;
      timestamp: number | undefined;
    },
    beforeQueue?: (profile: Profile, event: NudgeEvent) => Promise<Profile>,
  ): Promise<Accepted> {
    const now = this.clock.now();
    // A person seen for the first time: segments evaluate them in full once this event is stored.
    const created = this.profiles.consumeCreated(profile.id);
    const event: NudgeEvent = {
      workspaceId: this.ws,
      id: randomUUID(),
      messageId: e.messageId ?? randomUUID(),
      type: e.type,
      name: e.name,
      profileId: profile.id,
      userId: e.userId ?? null,
      anonymousId: e.anonymousId ?? null,
      properties: e.properties,
      context: e.context,
      timestamp: e.timestamp ?? now,
      receivedAt: now,
      processedAt: null,
    };
    const inserted = await this.events.append(event);
    if (!inserted) {
      const existing = await this.events.getByMessageId(this.ws, event.messageId);
      return { accepted: false, eventId: existing?.id ?? event.id, profileId: existing?.profileId ?? profile.id };
    }
    if (beforeQueue) await beforeQueue(profile, event);
    this.hooks.emit("event.accepted", event);
    await this.queue.add({ name: PROCESS_EVENT_JOB, data: { messageId: event.messageId, profileId: profile.id, event: event.name, type: event.type, created }, key: profile.id });
    return { accepted: true, eventId: event.id, profileId: profile.id };
  }

  /** Re-queues events stored but never processed (after a crash). Returns how many. */
  async replayUnprocessed(batch = 500): Promise<number> {
    const pending = await this.events.listUnprocessed(this.ws, batch);
    for (const e of pending) {
      await this.queue.add({ name: PROCESS_EVENT_JOB, data: { messageId: e.messageId }, key: e.profileId });
    }
    return pending.length;
  }
}
