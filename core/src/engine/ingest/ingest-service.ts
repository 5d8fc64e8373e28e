import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { z } from "zod";
import { ValidationError, type FieldIssue } from "../../errors.js";
import { BatchItem, IdentifyInput, TrackInput, type NudgeEvent } from "../../domain/event.js";
import type { ContactFacts } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { EventStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ProfileService } from "../profiles/profile-service.js";
import { ContactNormalizer } from "../profiles/contact-normalizer.js";
import { chains, runChains } from "./batch-chains.js";
import { eventId, randomMessageId } from "./event-ids.js";
import { EventHandoff } from "./event-handoff.js";
import { EventInterest } from "./event-interest.js";
import { checkIngestRules } from "./ingest-settings.js";

export interface Accepted {
  /** false when the messageId was seen before: nothing new was stored. */
  accepted: boolean;
  eventId: string;
  profileId: string;
}

export { PROCESS_EVENT_JOB } from "./event-handoff.js";

/** People of one batch resolved at once: enough to overlap their reads and writes, few enough to keep memory flat. */
const BATCH_CONCURRENCY = 64;

/** Who a call is about, and whether resolving it created them. */
interface Person {
  profileId: string;
  created: boolean;
}

/** A validated call, before its person is known. */
interface Call {
  type: NudgeEvent["type"];
  name: string;
  messageId: string | undefined;
  userId: string | undefined;
  anonymousId: string | undefined;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: number | undefined;
}

/** One call of a batch on its way in: its place in the batch, its person, its event. */
interface Slot {
  index: number;
  call: Call;
  profileId?: string;
  created?: boolean;
  event?: NudgeEvent;
}

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
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(ProfileService) private readonly profiles: ProfileService,
    @inject(ContactNormalizer) private readonly contacts: ContactNormalizer,
    @inject(EventHandoff) private readonly handoff: EventHandoff,
    @inject(EventInterest) private readonly interest: EventInterest,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
  ) {}

  async track(input: unknown): Promise<Accepted> {
    const parsed = TrackInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("track call", parsed.error);
    this.checkRules("track call", parsed.data);
    const call = trackCall(parsed.data);
    const person = await this.personOf(call);
    return this.accept(person.profileId, person.created, call);
  }

  async identify(input: unknown): Promise<Accepted> {
    const parsed = IdentifyInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("identify call", parsed.error);
    this.checkRules("identify call", parsed.data);
    // Contact traits are normalized, and a bad one refused naming it, before anything is stored.
    const call = this.identifyCall(parsed.data);
    const { profile, created } = await this.profiles.resolveIdentity(call);
    return this.accept(profile.id, created, call);
  }

  /**
   * Many track and identify calls at once, all or nothing: every item is validated first, and one bad
   * item refuses the whole batch with a ValidationError naming each bad field by index (`[3].event`).
   * Each person's items apply in order; the events of the batch are stored in one write.
   */
  async batch(input: unknown): Promise<Accepted[]> {
    const slots = this.validateBatch(input);
    const results: Accepted[] = new Array<Accepted>(slots.length);
    const people = chains(slots, (s) => s.call);
    const single: Slot[][] = [];
    const linking: Slot[][] = [];
    for (const c of people) (c.every((x) => x.call.userId === c[0]!.call.userId && x.call.anonymousId === c[0]!.call.anonymousId) ? single : linking).push(c);
    // A person whose items name different ids (an identify joining a visitor to a userId) goes item by
    // item, as single calls do: a merge then moves the events already stored before it.
    const oneByOne = runChains(linking, BATCH_CONCURRENCY, async (slot) => {
      const { profile, created } = await this.profiles.resolveIdentity(slot.call);
      results[slot.index] = await this.accept(profile.id, created, slot.call);
    });
    await Promise.all([oneByOne, this.together(single, results)]);
    return results;
  }

  /**
   * People whose items all name the same ids: one resolve each, then every event in one write. Written
   * for the common batch (known people, events nothing reacts to): it awaits only where a person or a
   * job needs it, since a promise per item was a large share of a batch's cost.
   */
  private async together(people: Slot[][], results: Accepted[]): Promise<void> {
    if (people.length === 0) return;
    // People named by a userId alone are looked up together; the rest (new people, anonymous visitors,
    // former ids kept by an alias) are resolved one by one, created when absent.
    const byUserId = (c: Slot[]) => (c[0]!.call.anonymousId === undefined ? c[0]!.call.userId : undefined);
    const userIds: string[] = [];
    for (const c of people) {
      const u = byUserId(c);
      if (u !== undefined) userIds.push(u);
    }
    const known = await this.profiles.idsByUserId(userIds);
    const unknown: Slot[][][] = [];
    for (const chain of people) {
      const userId = byUserId(chain);
      const profileId = userId === undefined ? undefined : known.get(userId);
      if (profileId === undefined) unknown.push([chain]);
      else for (const slot of chain) slot.profileId = profileId;
    }
    await runChains(unknown, BATCH_CONCURRENCY, async (chain) => {
      const { profile, created } = await this.profiles.resolveIdentity(chain[0]!.call);
      chain.forEach((slot, i) => {
        slot.profileId = profile.id;
        slot.created = created && i === 0;
      });
    });
    const now = this.clock.now();
    const slots = people.flat();
    const interest = new Map<string, boolean>();
    const events: NudgeEvent[] = new Array<NudgeEvent>(slots.length);
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const c = s.call;
      // Tracks of one name ask once; an identify's answer depends on the traits it sets.
      const key = c.type === "track" ? `${String(s.created === true)}:${c.name}` : null;
      let wanted = key === null ? undefined : interest.get(key);
      if (wanted === undefined) {
        wanted = await this.interest.wants({ type: c.type, name: c.name, properties: c.properties, created: s.created === true });
        if (key !== null) interest.set(key, wanted);
      }
      s.event = events[i] = this.toEvent(s.profileId!, c, now, wanted);
    }
    const inserted = await this.events.appendMany(events);
    const duplicates: Slot[] = [];
    slots.forEach((s, i) => {
      if (inserted[i]) results[s.index] = fresh(s);
      else duplicates.push(s);
    });
    if (duplicates.length > 0) await this.answerDuplicates(duplicates, results);
    // Traits land before any of the person's events is processed; then the jobs, in each person's order.
    const stored = people.map((c) => c.filter((s) => results[s.index]!.accepted));
    const withTraits = stored.filter((c) => c.some((s) => s.call.type === "identify"));
    await runChains(withTraits, BATCH_CONCURRENCY, async (s) => {
      if (s.call.type === "identify") await this.applyTraits(s.event!);
    });
    for (const chain of stored) {
      for (const s of chain) {
        const queued = this.handoff.enqueue(s.event!, s.created === true);
        if (queued) await queued;
      }
    }
  }

  private validateBatch(input: unknown): Slot[] {
    if (!Array.isArray(input)) throw new ValidationError("batch", [{ path: "(root)", message: "must be an array of track and identify calls" }]);
    const issues: FieldIssue[] = [];
    const slots: Slot[] = [];
    const now = this.clock.now();
    input.forEach((item: unknown, index) => {
      const parsed = BatchItem.safeParse(item);
      if (!parsed.success) {
        issues.push(...ValidationError.fromZod("batch item", parsed.error, `[${index}]`).issues);
        return;
      }
      const before = issues.length;
      checkIngestRules(parsed.data, now, this.options.ingest, `[${index}].`, issues);
      if (issues.length > before) return;
      const { type, ...rest } = parsed.data;
      if (type === "track") {
        slots.push({ index, call: trackCall(rest as z.output<typeof TrackInput>) });
        return;
      }
      try {
        slots.push({ index, call: this.identifyCall(rest as z.output<typeof IdentifyInput>) });
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        issues.push(...e.issues.map((i) => ({ path: `[${index}].${i.path}`, message: i.message })));
      }
    });
    if (issues.length > 0) throw new ValidationError("batch", issues);
    return slots;
  }

  /** The ingest rules for one call (see IngestSettings); a broken one refuses it naming each field. */
  private checkRules(what: string, call: Parameters<typeof checkIngestRules>[0]): void {
    const issues: FieldIssue[] = [];
    checkIngestRules(call, this.clock.now(), this.options.ingest, "", issues);
    if (issues.length > 0) throw new ValidationError(what, issues);
  }

  private identifyCall(t: z.output<typeof IdentifyInput>): Call {
    const n = this.contacts.identify(t.traits ?? {}, t.traitsOnce ?? {}, t.contacts ?? {});
    // The stored event holds what the call sets, normalized; `contacts` only when the call gave some.
    const properties: Record<string, unknown> = { traits: n.traits, traitsOnce: n.traitsOnce };
    if (t.contacts !== undefined) properties["contacts"] = n.contacts;
    return {
      type: "identify",
      name: "identify",
      messageId: t.messageId,
      userId: t.userId,
      anonymousId: t.anonymousId,
      properties,
      context: t.context ?? {},
      timestamp: t.timestamp,
    };
  }

  /** The event to store; one nothing reacts to is stored already processed. */
  private toEvent(profileId: string, c: Call, now: number, wanted: boolean): NudgeEvent {
    return {
      workspaceId: this.ws,
      id: eventId(now),
      messageId: c.messageId ?? randomMessageId(),
      type: c.type,
      name: c.name,
      profileId,
      userId: c.userId ?? null,
      anonymousId: c.anonymousId ?? null,
      properties: c.properties,
      context: c.context,
      timestamp: c.timestamp ?? now,
      receivedAt: now,
      processedAt: wanted ? null : now,
    };
  }

  /**
   * The person a track call is about. A call naming a known userId alone needs only the id, looked up
   * without reading (and decoding) the whole profile; anything else resolves, creating when absent.
   */
  private async personOf(call: Call): Promise<Person> {
    if (call.userId !== undefined && call.anonymousId === undefined) {
      const id = (await this.profiles.idsByUserId([call.userId])).get(call.userId);
      if (id !== undefined) return { profileId: id, created: false };
    }
    const { profile, created } = await this.profiles.resolveIdentity(call);
    return { profileId: profile.id, created };
  }

  /**
   * Stores one call's event; an identify's traits land before its processing is queued. `created`: a person
   * seen for the first time, whom segments evaluate in full once this event is stored.
   */
  private async accept(profileId: string, created: boolean, call: Call): Promise<Accepted> {
    const wanted = await this.interest.wants({ type: call.type, name: call.name, properties: call.properties, created });
    const event = this.toEvent(profileId, call, this.clock.now(), wanted);
    const inserted = await this.events.append(event);
    if (!inserted) return this.duplicate(event);
    if (call.type === "identify") await this.applyTraits(event);
    await this.handoff.enqueue(event, created);
    return { accepted: true, eventId: event.id, profileId: profileId };
  }

  /** An identify's traits and contact facts, set on its person (after the event is stored). */
  private async applyTraits(event: NudgeEvent): Promise<void> {
    const props = event.properties as { traits: Record<string, unknown>; traitsOnce: Record<string, unknown>; contacts?: ContactFacts };
    await this.profiles.applyTraits(event.profileId, props.traits, props.traitsOnce, event.timestamp, props.contacts);
  }

  private async duplicate(event: NudgeEvent): Promise<Accepted> {
    return asDuplicate(event, await this.events.getByMessageId(this.ws, event.messageId));
  }

  /** A batch's duplicates, answered with the stored events: in one read when the store offers it (a retried batch is all duplicates). */
  private async answerDuplicates(duplicates: Slot[], results: Accepted[]): Promise<void> {
    const many = this.events.getManyByMessageId?.bind(this.events);
    if (many !== undefined && duplicates.length > 1) {
      const stored = await many(this.ws, duplicates.map((s) => s.event!.messageId));
      duplicates.forEach((s, i) => (results[s.index] = asDuplicate(s.event!, stored[i] ?? null)));
      return;
    }
    await Promise.all(duplicates.map(async (s) => (results[s.index] = await this.duplicate(s.event!))));
  }

}

/** The answer for an event whose messageId was stored already: the stored event's ids. */
function asDuplicate(event: NudgeEvent, existing: NudgeEvent | null): Accepted {
  return { accepted: false, eventId: existing?.id ?? event.id, profileId: existing?.profileId ?? event.profileId };
}

function trackCall(t: z.output<typeof TrackInput>): Call {
  return {
    type: "track",
    name: t.event,
    messageId: t.messageId,
    userId: t.userId,
    anonymousId: t.anonymousId,
    properties: t.properties ?? {},
    context: t.context ?? {},
    timestamp: t.timestamp,
  };
}

function fresh(s: Slot): Accepted {
  return { accepted: true, eventId: s.event!.id, profileId: s.profileId! };
}
