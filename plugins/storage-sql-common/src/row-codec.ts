import type { Enrollment, JourneyHead, Message, NudgeEvent, Profile, Timer } from "@nudge/core";
import type { ColumnCodec, ColumnTypes } from "./column-codec.js";
import { toJson } from "./json.js";
import type { EnrollmentRow, EventRow, JourneyHeadRow, MessageRow, ProfileRow, TimerRow } from "./rows.js";

/**
 * Domain records to and from rows, written once for every SQL backend: the plugin passes how its
 * driver reads JSON and boolean columns. Readers are bound, so `rows.map(codec.profile)` works.
 */
export class RowCodec<C extends ColumnTypes> {
  constructor(private readonly columns: ColumnCodec<C>) {}

  readonly profile = (r: ProfileRow<C>): Profile => ({
    workspaceId: r.workspace_id,
    id: r.id,
    userId: r.user_id,
    anonymousIds: this.columns.json(r.anonymous_ids),
    traits: this.columns.json(r.traits),
    contacts: this.columns.json(r.contacts),
    timezone: r.timezone,
    locale: r.locale,
    subscriptions: this.columns.json(r.subscriptions),
    nightAdConsent: r.night_ad_consent === null ? null : this.columns.json(r.night_ad_consent),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastSeenAt: r.last_seen_at,
    version: r.version,
  });

  /**
   * A profile's written columns after its key (user_id, email, phone, anonymous_ids, traits, contacts, timezone,
   * locale, subscriptions, night_ad_consent, created_at, updated_at, last_seen_at, version). email and phone are
   * copies of the contacts, kept in columns so lookups by contact use an index.
   */
  profileParams(p: Profile): unknown[] {
    return [
      p.userId, p.contacts.email ?? null, p.contacts.phone ?? null, toJson(p.anonymousIds), toJson(p.traits), toJson(p.contacts), p.timezone, p.locale,
      toJson(p.subscriptions), p.nightAdConsent === null ? null : toJson(p.nightAdConsent), p.createdAt, p.updatedAt, p.lastSeenAt, p.version,
    ];
  }

  readonly event = (r: EventRow<C>): NudgeEvent => ({
    workspaceId: r.workspace_id,
    id: r.id,
    messageId: r.message_id,
    type: r.type,
    name: r.name,
    profileId: r.profile_id,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    properties: this.columns.json(r.properties),
    context: this.columns.json(r.context),
    timestamp: r.timestamp,
    receivedAt: r.received_at,
    processedAt: r.processed_at,
  });

  readonly journeyHead = (r: JourneyHeadRow): JourneyHead => ({
    workspaceId: r.workspace_id,
    journeyId: r.journey_id,
    status: r.status,
    latestVersion: r.latest_version,
    publishedVersion: r.published_version,
    updatedAt: r.updated_at,
  });

  readonly enrollment = (r: EnrollmentRow<C>): Enrollment => ({
    workspaceId: r.workspace_id,
    id: r.id,
    journeyId: r.journey_id,
    version: r.version,
    profileId: r.profile_id,
    state: r.state,
    stepId: r.step_id,
    visit: r.visit,
    context: this.columns.json(r.context),
    enteredAt: r.entered_at,
    updatedAt: r.updated_at,
    endedAt: r.ended_at,
    exitReason: r.exit_reason,
    convertedAt: r.converted_at,
    rev: r.rev,
  });

  /** An enrollment's columns in table order, all but `rev`, which the store sets. */
  enrollmentParams(e: Enrollment): unknown[] {
    return [e.workspaceId, e.id, e.journeyId, e.version, e.profileId, e.state, e.stepId, e.visit, toJson(e.context), e.enteredAt, e.updatedAt, e.endedAt, e.exitReason, e.convertedAt];
  }

  readonly timer = (r: TimerRow<C>): Timer => ({ workspaceId: r.workspace_id, id: r.id, dueAt: r.due_at, kind: r.kind, payload: this.columns.json(r.payload) });

  readonly message = (r: MessageRow<C>): Message => ({
    workspaceId: r.workspace_id,
    id: r.id,
    idempotencyKey: r.idempotency_key,
    profileId: r.profile_id,
    journeyId: r.journey_id,
    journeyVersion: r.journey_version,
    stepId: r.step_id,
    enrollmentId: r.enrollment_id,
    channels: this.columns.json(r.channels),
    channel: r.channel,
    marketing: this.columns.bool(r.marketing),
    topic: r.topic,
    status: r.status,
    recipient: r.recipient,
    content: r.content === null ? null : this.columns.json(r.content),
    attempts: this.columns.json(r.attempts),
    decisions: this.columns.json(r.decisions),
    notBefore: r.not_before,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
  });

  /** A message's columns, in the order of MESSAGE_COLUMN_NAMES. */
  messageParams(m: Message): unknown[] {
    return [
      m.workspaceId, m.id, m.idempotencyKey, m.profileId, m.journeyId, m.journeyVersion, m.stepId, m.enrollmentId, toJson(m.channels), m.channel,
      this.columns.boolParam(m.marketing), m.topic, m.status, m.recipient, m.content === null ? null : toJson(m.content), toJson(m.attempts),
      toJson(m.decisions), m.notBefore, m.createdAt, m.updatedAt, m.sentAt,
    ];
  }
}

/** Due time, then id: the order timers are claimed in. */
export const byDue = (a: Timer, b: Timer): number => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
