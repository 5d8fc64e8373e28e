import type { Profile } from "../domain/profile.js";
import type { NudgeEvent } from "../domain/event.js";
import type { Enrollment, EnrollmentState, JourneyHead, JourneyVersion, JourneyDefinition } from "../domain/journey.js";
import type { Message, MessageStatus } from "../domain/message.js";
import type { PropertyFilter, SegmentDefinition } from "../domain/segment.js";
import type { TemplateDefinition } from "../domain/template.js";

/**
 * Storage ports. Every method takes the workspace explicitly: one database may hold many workspaces,
 * and no call can reach another workspace's records. "Not found" is `null`, never a throw.
 * Backends raise only core errors (ConflictError, StorageUnavailableError, ...).
 */

export interface Page<T> {
  items: T[];
  /** Opaque; pass it back to get the next page. null on the last page. */
  nextCursor: string | null;
}

export interface ProfileStore {
  get(ws: string, id: string): Promise<Profile | null>;
  getByUserId(ws: string, userId: string): Promise<Profile | null>;
  getByAnonymousId(ws: string, anonymousId: string): Promise<Profile | null>;
  /**
   * Optional: the profile ids of the people with these userIds (exactly, not former ids kept by an
   * alias), in one round trip; userIds nobody has are missing from the map. Batch ingest resolves a
   * whole batch's known people with it; without it, each is read with `getByUserId`.
   */
  idsByUserId?(ws: string, userIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Insert or replace. `profile.version` is the version read (0 for a new profile); the store writes
   * version + 1 and throws ConflictError if the stored version differs (or, for 0, the id, userId or an
   * anonymousId already exists). Returns the saved profile.
   */
  save(profile: Profile): Promise<Profile>;
  /** Profiles whose contact point of this kind equals the address (E.164 phone, lower-case e-mail). */
  findByContact(ws: string, kind: "email" | "phone", address: string): Promise<Profile[]>;
  delete(ws: string, id: string): Promise<void>;
  list(ws: string, options: { cursor?: string | null; limit: number }): Promise<Page<Profile>>;
  count(ws: string): Promise<number>;
}

export interface EventQuery {
  profileId: string;
  name: string;
  /** Inclusive lower bound, epoch ms. */
  from: number;
  /** Exclusive upper bound, epoch ms. */
  to: number;
  where?: PropertyFilter[];
}

/** An event reduced to what window conditions need. */
export interface TimelinePoint {
  timestamp: number;
  /** The numeric property asked for (non-numbers 0), or 1 when none was asked. */
  value: number;
}

export interface EventStore {
  /** Appends unless (workspace, messageId) exists. Returns whether it was inserted. */
  append(event: NudgeEvent): Promise<boolean>;
  /** The same for many events in one transaction; one boolean per event, in order. */
  appendMany(events: NudgeEvent[]): Promise<boolean[]>;
  getByMessageId(ws: string, messageId: string): Promise<NudgeEvent | null>;
  /**
   * Optional: getByMessageId for many ids in one read, one answer per id, in order (null where none is
   * stored). Ingest uses it to answer a batch's duplicates (a client retrying a batch) with one read.
   */
  getManyByMessageId?(ws: string, messageIds: string[]): Promise<(NudgeEvent | null)[]>;
  /** Newest first. */
  listByProfile(ws: string, profileId: string, options: { limit: number; before?: number }): Promise<NudgeEvent[]>;
  count(ws: string, query: EventQuery): Promise<number>;
  /** Sum of a numeric property over matching events (non-numbers count as 0). */
  sum(ws: string, query: EventQuery, property: string): Promise<number>;
  /**
   * The newest `limit` events matching the query (name null: any name), newest first, as points:
   * segments read thresholds and the instant a window condition flips from them.
   */
  timeline(ws: string, query: Omit<EventQuery, "name"> & { name: string | null }, options: { limit: number; sumOf?: string }): Promise<TimelinePoint[]>;
  /** The newest timestamp of an event by name (any name when null) for a profile. */
  lastAt(ws: string, profileId: string, name: string | null): Promise<number | null>;
  markProcessed(ws: string, ids: string[], at: number): Promise<void>;
  /** Events accepted but not yet processed, oldest first: replayed after a crash. */
  listUnprocessed(ws: string, limit: number): Promise<NudgeEvent[]>;
  /** Identity merge: events of one profile now belong to another. */
  reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void>;
  deleteByProfile(ws: string, profileId: string): Promise<number>;
  /** Retention: deletes events with timestamp < before. Returns how many. */
  deleteOlderThan(ws: string, before: number): Promise<number>;
}

export interface JourneyStore {
  /** Writes a new version (latestVersion + 1) and creates the head as draft if absent. */
  putVersion(ws: string, definition: JourneyDefinition, at: number): Promise<JourneyVersion>;
  getVersion(ws: string, journeyId: string, version: number): Promise<JourneyVersion | null>;
  getHead(ws: string, journeyId: string): Promise<JourneyHead | null>;
  saveHead(head: JourneyHead): Promise<void>;
  listHeads(ws: string): Promise<JourneyHead[]>;
  /** Removes the head and every version. */
  delete(ws: string, journeyId: string): Promise<void>;
}

export interface EnrollmentStore {
  /** Inserts unless the id exists. Returns whether it was inserted. */
  create(enrollment: Enrollment): Promise<boolean>;
  get(ws: string, id: string): Promise<Enrollment | null>;
  /** Writes rev + 1 if the stored rev equals `enrollment.rev`, else ConflictError. Returns the saved one. */
  update(enrollment: Enrollment): Promise<Enrollment>;
  listByProfile(ws: string, profileId: string, options?: { journeyId?: string; state?: EnrollmentState }): Promise<Enrollment[]>;
  /** The most recent enrollment of a person in a journey (any state), for re-entry rules. */
  latest(ws: string, journeyId: string, profileId: string): Promise<Enrollment | null>;
  countByJourney(ws: string, journeyId: string): Promise<Record<EnrollmentState, number>>;
  /** Enrollments of a journey with convertedAt in [from, to) (bounds optional): cost per conversion. */
  countConverted(ws: string, journeyId: string, range?: { from?: number; to?: number }): Promise<number>;
  reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void>;
  deleteByProfile(ws: string, profileId: string): Promise<number>;
}

/** A durable timer: a wait that must survive restarts. */
export interface Timer {
  workspaceId: string;
  /** Deterministic (e.g. "wait:<enrollment>:<step>:<visit>"): scheduling twice keeps one timer. */
  id: string;
  dueAt: number;
  kind: string;
  payload: Record<string, unknown>;
}

export interface TimerStore {
  /** Inserts or replaces by id. */
  schedule(timer: Timer): Promise<void>;
  cancel(ws: string, id: string): Promise<void>;
  get(ws: string, id: string): Promise<Timer | null>;
  /**
   * Claims up to `limit` timers with dueAt <= now that are unclaimed or whose lease expired, leasing
   * them until now + leaseMs. Two workers never claim the same timer at once.
   */
  claimDue(ws: string, now: number, limit: number, leaseMs: number): Promise<Timer[]>;
  /**
   * Done with a claimed timer: deletes it, unless it was rescheduled meanwhile (its dueAt is no longer
   * the claimed one), in which case the new schedule stands.
   */
  complete(ws: string, id: string, claimedDueAt: number): Promise<void>;
  /** The earliest dueAt, for sleeping until then. */
  nextDueAt(ws: string): Promise<number | null>;
}

export interface MessageQuery {
  profileId?: string;
  journeyId?: string;
  status?: MessageStatus;
  channel?: string;
  /** Only messages with a sentAt at or after this (epoch ms); messages never sent are left out. */
  sentFrom?: number;
  /** Only messages with a sentAt before this (epoch ms); messages never sent are left out. */
  sentBefore?: number;
  cursor?: string | null;
  limit: number;
}

export interface MessageCountQuery {
  profileId: string;
  /** Inclusive, epoch ms, compared with sentAt. */
  since: number;
  channel?: string;
  journeyId?: string;
  marketing?: boolean;
}

/**
 * A counting limit on one person's messages (a frequency cap), enforced by `MessageStore.claimSend`.
 * Counted: the person's messages other than the one being claimed that match the filters and are
 * sent or delivered with sentAt >= since, or still sending with updatedAt >= since.
 */
export interface SendLimit {
  /** Unique within one claim; reported back when the limit refuses. */
  id: string;
  /** At most this many counted messages; the claim is refused when `max` are already counted. */
  max: number;
  /** Inclusive, epoch ms. */
  since: number;
  channel?: string;
  journeyId?: string;
  marketing?: boolean;
}

export type SendClaim =
  | { claimed: true }
  /** The stored message moved on meanwhile (another worker sends it, or it finished). */
  | { claimed: false; reason: "status"; status: MessageStatus }
  | { claimed: false; reason: "limit"; limitId: string; count: number };

/** What `MessageStore.insertClaimed` answers: a claim, or the message already stored under the key. */
export type InsertClaim = SendClaim | { claimed: false; reason: "duplicate"; message: Message };

export interface SpendQuery {
  /** Inclusive, epoch ms, compared with each attempt's time. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
  journeyId?: string;
}

/** Spend of the attempts that recorded a cost, grouped by journey, step, the attempt's channel and currency. */
export interface SpendRow {
  journeyId: string | null;
  stepId: string | null;
  channel: string;
  currency: string;
  amount: number;
  /** Attempts with a cost in the group. */
  attempts: number;
  /** Distinct messages among them. */
  messages: number;
}

export interface MessageStore {
  /**
   * Inserts unless (workspace, idempotencyKey) exists; returns the stored message and whether it is new.
   * A message already stored under the key with the same id counts as inserted: a retried insert (after
   * a connection lost at commit) must not look like somebody else's message.
   */
  insert(message: Message): Promise<{ message: Message; inserted: boolean }>;
  get(ws: string, id: string): Promise<Message | null>;
  getByKey(ws: string, idempotencyKey: string): Promise<Message | null>;
  /** Replaces the message (same id). */
  update(message: Message): Promise<void>;
  /** Newest first. */
  list(ws: string, query: MessageQuery): Promise<Page<Message>>;
  /** Messages sent (status sent or delivered) matching the query: frequency caps. */
  countSent(ws: string, query: MessageCountQuery): Promise<number>;
  findByProviderMessageId(ws: string, providerMessageId: string): Promise<Message | null>;
  /**
   * Claims a message for sending, atomically (one transaction, serialised per person): stores `message`
   * (its status is "sending") only if the stored copy is "queued" or "deferred" and holds exactly
   * `message.attempts.length` attempts (nobody tried a channel since it was read), and every limit
   * counts fewer than `max` messages. Otherwise stores nothing and says why. Frequency caps rely on it
   * across concurrent sends and, with a shared database, across processes.
   */
  claimSend(message: Message, limits: SendLimit[]): Promise<SendClaim>;
  /**
   * Optional: `insert` and `claimSend` in one atomic step, for a message not stored yet (status
   * "sending"): stores it only if its idempotency key is free and every limit counts fewer than `max`
   * messages. A taken key answers "duplicate" with the stored message (nothing is written); a reached
   * limit stores nothing. A message already stored under the key with the same id (a retried call)
   * counts as claimed. Without it the dispatcher inserts first and claims later: one write more per send.
   */
  insertClaimed?(message: Message, limits: SendLimit[]): Promise<InsertClaim>;
  /** Cost aggregate over attempts (see SpendRow); rows in no particular order. */
  spend(ws: string, query: SpendQuery): Promise<SpendRow[]>;
  /** Identity merge: messages of one profile now belong to another. */
  reassignProfile(ws: string, fromProfileId: string, toProfileId: string): Promise<void>;
  /** Erasure: removes the person's messages' contents and recipients, keeps anonymous metadata. */
  redactByProfile(ws: string, profileId: string): Promise<number>;
  /** Retention: drops contents of messages created before `before`. */
  redactOlderThan(ws: string, before: number): Promise<number>;
  deleteOlderThan(ws: string, before: number): Promise<number>;
}

export interface SegmentStore {
  put(ws: string, definition: SegmentDefinition, at: number): Promise<void>;
  get(ws: string, id: string): Promise<SegmentDefinition | null>;
  list(ws: string): Promise<SegmentDefinition[]>;
  delete(ws: string, id: string): Promise<void>;
  /** Membership, kept incrementally. Returns whether it changed. */
  setMember(ws: string, segmentId: string, profileId: string, member: boolean, at: number): Promise<boolean>;
  isMember(ws: string, segmentId: string, profileId: string): Promise<boolean>;
  segmentsOf(ws: string, profileId: string): Promise<string[]>;
  members(ws: string, segmentId: string, options: { cursor?: string | null; limit: number }): Promise<Page<string>>;
  countMembers(ws: string, segmentId: string): Promise<number>;
  removeProfile(ws: string, profileId: string): Promise<void>;
}

export interface TemplateStore {
  put(ws: string, template: TemplateDefinition, at: number): Promise<void>;
  get(ws: string, id: string): Promise<TemplateDefinition | null>;
  list(ws: string): Promise<TemplateDefinition[]>;
  delete(ws: string, id: string): Promise<void>;
}

/** Optional on a storage plugin: readiness for /readyz. */
export interface HealthCheck {
  ping(): Promise<void>;
}
