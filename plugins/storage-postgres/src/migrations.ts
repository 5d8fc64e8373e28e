import type { Migration } from "@nudge/storage-sql-common";

/**
 * Versioned schema changes, applied in order at start under an advisory lock and recorded in
 * nudge_migrations. A released migration is never edited: a change is a new entry. Every table leads
 * with workspace_id, and so does every index. Keys are COLLATE "C": byte order, the same order
 * SQLite and JavaScript give, so cursors page identically on every backend.
 */

const KEY = 'text COLLATE "C"';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE profiles (
        workspace_id ${KEY} NOT NULL,
        id ${KEY} NOT NULL,
        user_id ${KEY},
        email ${KEY},
        phone ${KEY},
        anonymous_ids jsonb NOT NULL,
        traits jsonb NOT NULL,
        contacts jsonb NOT NULL,
        timezone text,
        locale text,
        subscriptions jsonb NOT NULL,
        night_ad_consent jsonb,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        last_seen_at bigint,
        version integer NOT NULL,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE UNIQUE INDEX profiles_user_id ON profiles (workspace_id, user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX profiles_email ON profiles (workspace_id, email) WHERE email IS NOT NULL;
      CREATE INDEX profiles_phone ON profiles (workspace_id, phone) WHERE phone IS NOT NULL;

      CREATE TABLE profile_anonymous_ids (
        workspace_id ${KEY} NOT NULL,
        anonymous_id ${KEY} NOT NULL,
        profile_id ${KEY} NOT NULL,
        PRIMARY KEY (workspace_id, anonymous_id)
      );
      CREATE INDEX profile_anonymous_ids_profile ON profile_anonymous_ids (workspace_id, profile_id);

      CREATE TABLE events (
        workspace_id ${KEY} NOT NULL,
        message_id ${KEY} NOT NULL,
        id ${KEY} NOT NULL,
        type text NOT NULL,
        name ${KEY} NOT NULL,
        profile_id ${KEY} NOT NULL,
        user_id text,
        anonymous_id text,
        properties jsonb NOT NULL,
        context jsonb NOT NULL,
        timestamp bigint NOT NULL,
        received_at bigint NOT NULL,
        processed_at bigint,
        PRIMARY KEY (workspace_id, message_id)
      );
      CREATE UNIQUE INDEX events_id ON events (workspace_id, id);
      CREATE INDEX events_profile_name_ts ON events (workspace_id, profile_id, name, timestamp);
      CREATE INDEX events_profile_ts ON events (workspace_id, profile_id, timestamp);
      CREATE INDEX events_ts ON events (workspace_id, timestamp);
      CREATE INDEX events_unprocessed ON events (workspace_id, received_at) WHERE processed_at IS NULL;

      CREATE TABLE journey_heads (
        workspace_id ${KEY} NOT NULL,
        journey_id ${KEY} NOT NULL,
        status text NOT NULL,
        latest_version integer NOT NULL,
        published_version integer,
        updated_at bigint NOT NULL,
        PRIMARY KEY (workspace_id, journey_id)
      );
      CREATE TABLE journey_versions (
        workspace_id ${KEY} NOT NULL,
        journey_id ${KEY} NOT NULL,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (workspace_id, journey_id, version)
      );

      CREATE TABLE enrollments (
        workspace_id ${KEY} NOT NULL,
        id ${KEY} NOT NULL,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        journey_id ${KEY} NOT NULL,
        version integer NOT NULL,
        profile_id ${KEY} NOT NULL,
        state text NOT NULL,
        step_id text,
        visit integer NOT NULL,
        context jsonb NOT NULL,
        entered_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        ended_at bigint,
        exit_reason text,
        converted_at bigint,
        rev integer NOT NULL,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE INDEX enrollments_profile ON enrollments (workspace_id, profile_id, journey_id, entered_at);
      CREATE INDEX enrollments_journey ON enrollments (workspace_id, journey_id, state);

      CREATE TABLE timers (
        workspace_id ${KEY} NOT NULL,
        id ${KEY} NOT NULL,
        due_at bigint NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        leased_until bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE INDEX timers_due ON timers (workspace_id, due_at);

      CREATE TABLE messages (
        workspace_id ${KEY} NOT NULL,
        id ${KEY} NOT NULL,
        idempotency_key ${KEY} NOT NULL,
        profile_id ${KEY} NOT NULL,
        journey_id ${KEY},
        journey_version integer,
        step_id text,
        enrollment_id text,
        channels jsonb NOT NULL,
        channel ${KEY} NOT NULL,
        marketing boolean NOT NULL,
        topic text,
        status text NOT NULL,
        recipient text,
        content jsonb,
        attempts jsonb NOT NULL,
        decisions jsonb NOT NULL,
        not_before bigint,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        sent_at bigint,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE UNIQUE INDEX messages_key ON messages (workspace_id, idempotency_key);
      CREATE INDEX messages_profile_created ON messages (workspace_id, profile_id, created_at);
      CREATE INDEX messages_profile_sent ON messages (workspace_id, profile_id, sent_at) WHERE sent_at IS NOT NULL;
      CREATE INDEX messages_created ON messages (workspace_id, created_at);

      CREATE TABLE message_provider_ids (
        workspace_id ${KEY} NOT NULL,
        provider_message_id ${KEY} NOT NULL,
        message_id ${KEY} NOT NULL,
        PRIMARY KEY (workspace_id, provider_message_id, message_id)
      );
      CREATE INDEX message_provider_ids_message ON message_provider_ids (workspace_id, message_id);

      CREATE TABLE segments (
        workspace_id ${KEY} NOT NULL,
        id ${KEY} NOT NULL,
        definition jsonb NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE TABLE segment_members (
        workspace_id ${KEY} NOT NULL,
        segment_id ${KEY} NOT NULL,
        profile_id ${KEY} NOT NULL,
        since bigint NOT NULL,
        PRIMARY KEY (workspace_id, segment_id, profile_id)
      );
      CREATE INDEX segment_members_profile ON segment_members (workspace_id, profile_id);

      CREATE TABLE templates (
        workspace_id ${KEY} NOT NULL,
        id ${KEY} NOT NULL,
        definition jsonb NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (workspace_id, id)
      );
    `,
  },
  {
    version: 2,
    name: "message log by journey",
    sql: `
      -- Listing a journey's messages and its spend report read by journey.
      CREATE INDEX messages_journey_created ON messages (workspace_id, journey_id, created_at);
    `,
  },
  {
    version: 3,
    name: "events: look ids up among unprocessed events only",
    sql: `
      -- Event ids are looked up only to mark an event processed. A full unique index on random ids cost
      -- every append a write to a random page; a partial one holds only the (short) unprocessed backlog.
      DROP INDEX events_id;
      CREATE INDEX events_unprocessed_id ON events (workspace_id, id) WHERE processed_at IS NULL;
    `,
  },
  {
    version: 4,
    name: "events: one index per person",
    sql: `
      -- The (person, name, time) index serves the any-name timelines too (a person's entries, sorted); a
      -- second per-person index cost every append another random page. Same change as storage-sqlite's 4,
      -- so both stores stay at the same version with the same indexes.
      DROP INDEX events_profile_ts;
    `,
  },
  {
    version: 5,
    name: "messages: sent messages by send time",
    sql: `
      -- Delivery upkeep asks for the sent messages whose send time crossed a poll mark: each run reads those
      -- alone, however many newer ones there are. Same index as storage-sqlite's 5.
      CREATE INDEX messages_status_sent ON messages (workspace_id, status, sent_at) WHERE sent_at IS NOT NULL;
    `,
  },
];
