import type { Migration } from "@nudge/storage-sql-common";

/**
 * Versioned schema changes, applied in order at start and recorded in nudge_migrations. A released
 * migration is never edited: a change is a new entry. Every table leads with workspace_id, and so does
 * every index, because every query names its workspace.
 */

/** The schema name the event log's file is attached under while migration 4 moves events into it. */
export const EVENT_LOG = "eventlog";

const EVENT_LOG_COLUMNS = "workspace_id, message_id, id, type, name, profile_id, user_id, anonymous_id, properties, context, timestamp, received_at, processed_at";

/**
 * The event log's table, in its own file (`schema` is the name that file goes by on the connection).
 * Idempotent: applied by migration 4 and again at every open, so a new (or lost) event-log file gets its
 * table. One index per person serves both the per-name windows
 * and the any-name timelines (which read a person's entries and sort them): a second per-person index
 * cost every append a write to another random page, about 40% of an append's time.
 */
export const eventLogSchema = (schema: string): string => `
      CREATE TABLE IF NOT EXISTS ${schema}.events (
        workspace_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        user_id TEXT,
        anonymous_id TEXT,
        properties TEXT NOT NULL,
        context TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        processed_at INTEGER,
        PRIMARY KEY (workspace_id, message_id)
      );
      CREATE INDEX IF NOT EXISTS ${schema}.events_profile_name_ts ON events (workspace_id, profile_id, name, timestamp);
      CREATE INDEX IF NOT EXISTS ${schema}.events_ts ON events (workspace_id, timestamp);
      CREATE INDEX IF NOT EXISTS ${schema}.events_unprocessed ON events (workspace_id, received_at) WHERE processed_at IS NULL;
      CREATE INDEX IF NOT EXISTS ${schema}.events_unprocessed_id ON events (workspace_id, id) WHERE processed_at IS NULL;
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
      CREATE TABLE profiles (
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        user_id TEXT,
        email TEXT,
        phone TEXT,
        anonymous_ids TEXT NOT NULL,
        traits TEXT NOT NULL,
        contacts TEXT NOT NULL,
        timezone TEXT,
        locale TEXT,
        subscriptions TEXT NOT NULL,
        night_ad_consent TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_seen_at INTEGER,
        version INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE UNIQUE INDEX profiles_user_id ON profiles (workspace_id, user_id) WHERE user_id IS NOT NULL;
      CREATE INDEX profiles_email ON profiles (workspace_id, email) WHERE email IS NOT NULL;
      CREATE INDEX profiles_phone ON profiles (workspace_id, phone) WHERE phone IS NOT NULL;

      -- One row per anonymous id: the lookup index, and the uniqueness no two profiles may break.
      CREATE TABLE profile_anonymous_ids (
        workspace_id TEXT NOT NULL,
        anonymous_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        PRIMARY KEY (workspace_id, anonymous_id)
      );
      CREATE INDEX profile_anonymous_ids_profile ON profile_anonymous_ids (workspace_id, profile_id);

      CREATE TABLE events (
        workspace_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        name TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        user_id TEXT,
        anonymous_id TEXT,
        properties TEXT NOT NULL,
        context TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        processed_at INTEGER,
        PRIMARY KEY (workspace_id, message_id)
      );
      CREATE UNIQUE INDEX events_id ON events (workspace_id, id);
      CREATE INDEX events_profile_name_ts ON events (workspace_id, profile_id, name, timestamp);
      CREATE INDEX events_profile_ts ON events (workspace_id, profile_id, timestamp);
      CREATE INDEX events_ts ON events (workspace_id, timestamp);
      CREATE INDEX events_unprocessed ON events (workspace_id, received_at) WHERE processed_at IS NULL;

      CREATE TABLE journey_heads (
        workspace_id TEXT NOT NULL,
        journey_id TEXT NOT NULL,
        status TEXT NOT NULL,
        latest_version INTEGER NOT NULL,
        published_version INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, journey_id)
      );
      CREATE TABLE journey_versions (
        workspace_id TEXT NOT NULL,
        journey_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        definition TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, journey_id, version)
      );

      CREATE TABLE enrollments (
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        journey_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        profile_id TEXT NOT NULL,
        state TEXT NOT NULL,
        step_id TEXT,
        visit INTEGER NOT NULL,
        context TEXT NOT NULL,
        entered_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        ended_at INTEGER,
        exit_reason TEXT,
        converted_at INTEGER,
        rev INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE INDEX enrollments_profile ON enrollments (workspace_id, profile_id, journey_id, entered_at);
      CREATE INDEX enrollments_journey ON enrollments (workspace_id, journey_id, state);

      CREATE TABLE timers (
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        leased_until INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE INDEX timers_due ON timers (workspace_id, due_at);

      CREATE TABLE messages (
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        journey_id TEXT,
        journey_version INTEGER,
        step_id TEXT,
        enrollment_id TEXT,
        channels TEXT NOT NULL,
        channel TEXT NOT NULL,
        marketing INTEGER NOT NULL,
        topic TEXT,
        status TEXT NOT NULL,
        recipient TEXT,
        content TEXT,
        attempts TEXT NOT NULL,
        decisions TEXT NOT NULL,
        not_before INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        sent_at INTEGER,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE UNIQUE INDEX messages_key ON messages (workspace_id, idempotency_key);
      CREATE INDEX messages_profile_created ON messages (workspace_id, profile_id, created_at);
      CREATE INDEX messages_profile_sent ON messages (workspace_id, profile_id, sent_at) WHERE sent_at IS NOT NULL;
      CREATE INDEX messages_created ON messages (workspace_id, created_at);

      -- Delivery reports name the provider's id: one row per attempt that got one.
      CREATE TABLE message_provider_ids (
        workspace_id TEXT NOT NULL,
        provider_message_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        PRIMARY KEY (workspace_id, provider_message_id, message_id)
      );
      CREATE INDEX message_provider_ids_message ON message_provider_ids (workspace_id, message_id);

      CREATE TABLE segments (
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        definition TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE TABLE segment_members (
        workspace_id TEXT NOT NULL,
        segment_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        since INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, segment_id, profile_id)
      );
      CREATE INDEX segment_members_profile ON segment_members (workspace_id, profile_id);

      CREATE TABLE templates (
        workspace_id TEXT NOT NULL,
        id TEXT NOT NULL,
        definition TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
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
    name: "events move to their own file",
    // The event log is written by a thread with its own connection (see event-writer.ts); in a file of
    // its own, its write lock never makes the event loop's connection wait. The file is attached while
    // migrations run; the events are copied into it (a rerun skips what is there), then dropped here.
    sql: `
      ${eventLogSchema(EVENT_LOG)}
      INSERT OR IGNORE INTO ${EVENT_LOG}.events (${EVENT_LOG_COLUMNS}) SELECT ${EVENT_LOG_COLUMNS} FROM main.events;
      DROP TABLE main.events;
    `,
  },
  {
    version: 5,
    name: "messages: sent messages by send time",
    sql: `
      -- Delivery upkeep asks for the sent messages whose send time crossed a poll mark (5 min, 15 min ...
      -- ago): with this index each run reads those messages alone, however many newer ones there are.
      CREATE INDEX messages_status_sent ON messages (workspace_id, status, sent_at) WHERE sent_at IS NOT NULL;
    `,
  },
];
