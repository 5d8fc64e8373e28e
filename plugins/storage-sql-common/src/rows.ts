import type { EnrollmentState, JourneyStatus, Message, NudgeEvent } from "@nudge/core";
import type { ColumnTypes } from "./column-codec.js";

/**
 * Rows as the SQL backends store them: the same tables and columns on each, only JSON and boolean
 * columns typed by the driver (`C`). Column lists are in table order.
 */

export interface ProfileRow<C extends ColumnTypes> {
  workspace_id: string;
  id: string;
  user_id: string | null;
  anonymous_ids: C["json"];
  traits: C["json"];
  contacts: C["json"];
  timezone: string | null;
  locale: string | null;
  subscriptions: C["json"];
  night_ad_consent: C["json"] | null;
  created_at: number;
  updated_at: number;
  last_seen_at: number | null;
  version: number;
}

export const PROFILE_COLUMNS =
  "workspace_id, id, user_id, anonymous_ids, traits, contacts, timezone, locale, subscriptions, night_ad_consent, created_at, updated_at, last_seen_at, version";

export interface EventRow<C extends ColumnTypes> {
  workspace_id: string;
  message_id: string;
  id: string;
  type: NudgeEvent["type"];
  name: string;
  profile_id: string;
  user_id: string | null;
  anonymous_id: string | null;
  properties: C["json"];
  context: C["json"];
  timestamp: number;
  received_at: number;
  processed_at: number | null;
}

export const EVENT_COLUMNS = "workspace_id, message_id, id, type, name, profile_id, user_id, anonymous_id, properties, context, timestamp, received_at, processed_at";

export interface JourneyHeadRow {
  workspace_id: string;
  journey_id: string;
  status: JourneyStatus;
  latest_version: number;
  published_version: number | null;
  updated_at: number;
}

export const JOURNEY_HEAD_COLUMNS = "workspace_id, journey_id, status, latest_version, published_version, updated_at";

export interface EnrollmentRow<C extends ColumnTypes> {
  workspace_id: string;
  id: string;
  journey_id: string;
  version: number;
  profile_id: string;
  state: EnrollmentState;
  step_id: string | null;
  visit: number;
  context: C["json"];
  entered_at: number;
  updated_at: number;
  ended_at: number | null;
  exit_reason: string | null;
  converted_at: number | null;
  rev: number;
}

export const ENROLLMENT_COLUMNS =
  "workspace_id, id, journey_id, version, profile_id, state, step_id, visit, context, entered_at, updated_at, ended_at, exit_reason, converted_at, rev";

export interface TimerRow<C extends ColumnTypes> {
  workspace_id: string;
  id: string;
  due_at: number;
  kind: string;
  payload: C["json"];
}

export const TIMER_COLUMNS = "workspace_id, id, due_at, kind, payload";

export interface MessageRow<C extends ColumnTypes> {
  workspace_id: string;
  id: string;
  idempotency_key: string;
  profile_id: string;
  journey_id: string | null;
  journey_version: number | null;
  step_id: string | null;
  enrollment_id: string | null;
  channels: C["json"];
  channel: string;
  marketing: C["bool"];
  topic: string | null;
  status: Message["status"];
  recipient: string | null;
  content: C["json"] | null;
  attempts: C["json"];
  decisions: C["json"];
  not_before: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

/** The key (workspace_id, id) first: an upsert updates the rest. */
export const MESSAGE_COLUMN_NAMES: readonly string[] = [
  "workspace_id", "id", "idempotency_key", "profile_id", "journey_id", "journey_version", "step_id", "enrollment_id", "channels", "channel", "marketing",
  "topic", "status", "recipient", "content", "attempts", "decisions", "not_before", "created_at", "updated_at", "sent_at",
];
