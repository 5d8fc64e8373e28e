import { definePlugin, registerStores, type PluginContext, type PluginFactory } from "@nudge/core";
import { SqliteStorageConfig } from "./config.js";
import { SqliteDatabase } from "./sqlite-database.js";
import { SqliteEnrollmentStore } from "./sqlite-enrollment-store.js";
import { SqliteEventStore } from "./sqlite-event-store.js";
import { SqliteJourneyStore } from "./sqlite-journey-store.js";
import { SqliteMessageStore } from "./sqlite-message-store.js";
import { SqliteProfileStore } from "./sqlite-profile-store.js";
import { SqliteSegmentStore } from "./sqlite-segment-store.js";
import { SqliteTemplateStore } from "./sqlite-template-store.js";
import { SqliteTimerStore } from "./sqlite-timer-store.js";

interface Instance {
  db: SqliteDatabase;
}

// The descriptor is shared by every Nudge instance; each instance's connection hangs off its own context.
const instances = new WeakMap<PluginContext, Instance>();

/**
 * Every storage port in one SQLite file (better-sqlite3, WAL): the embedded default. No server to
 * install; the data survives restarts. The file is opened and migrated at start().
 */
export const storageSqlite: PluginFactory<typeof SqliteStorageConfig> = definePlugin({
  id: "storage-sqlite",
  kind: "storage",
  configSchema: SqliteStorageConfig,
  register(ctx, config) {
    const db = new SqliteDatabase(config, ctx.logger);
    instances.set(ctx, { db });
    registerStores(ctx, {
      profiles: new SqliteProfileStore(db),
      events: new SqliteEventStore(db),
      journeys: new SqliteJourneyStore(db),
      enrollments: new SqliteEnrollmentStore(db),
      timers: new SqliteTimerStore(db),
      messages: new SqliteMessageStore(db),
      segments: new SqliteSegmentStore(db),
      templates: new SqliteTemplateStore(db),
      health: db,
    });
  },
  async init(ctx) {
    instances.get(ctx)?.db.open(ctx.clock.now());
  },
  async close(ctx) {
    const instance = instances.get(ctx);
    if (!instance) return;
    // Writes waiting for their group commit are committed, not dropped.
    try {
      instance.db.flush();
    } finally {
      await instance.db.close();
    }
  },
  // simulate()'s throwaway instances: a database in memory, never the instance's file.
  throwaway: () => storageSqlite({ path: ":memory:" }),
});

export { SqliteStorageConfig, type SqliteStorageConfigInput } from "./config.js";
export { SqliteDatabase, eventLogPath } from "./sqlite-database.js";
export { MIGRATIONS as SQLITE_MIGRATIONS } from "./migrations.js";
