import { randomBytes } from "node:crypto";
import { definePlugin, registerStores, type PluginContext, type PluginFactory } from "@nudge/core";
import { PostgresStorageConfig } from "./config.js";
import { PgDatabase } from "./pg-database.js";
import { PgEnrollmentStore } from "./pg-enrollment-store.js";
import { PgEventStore } from "./pg-event-store.js";
import { PgJourneyStore } from "./pg-journey-store.js";
import { PgMessageStore } from "./pg-message-store.js";
import { PgProfileStore } from "./pg-profile-store.js";
import { PgSegmentStore } from "./pg-segment-store.js";
import { PgTemplateStore } from "./pg-template-store.js";
import { PgTimerStore } from "./pg-timer-store.js";

interface Instance {
  db: PgDatabase;
  events: PgEventStore;
  messages: PgMessageStore;
}

// The descriptor is shared by every Nudge instance; each instance's pool hangs off its own context.
const instances = new WeakMap<PluginContext, Instance>();

/**
 * Every storage port in PostgreSQL (pg, one pool per instance): for production, and for several
 * processes sharing one database. Connects and migrates (under an advisory lock) at start().
 */
export const storagePostgres: PluginFactory<typeof PostgresStorageConfig> = definePlugin({
  id: "storage-postgres",
  kind: "storage",
  configSchema: PostgresStorageConfig,
  register(ctx, config) {
    const db = new PgDatabase(config, ctx.logger);
    const events = new PgEventStore(db);
    const messages = new PgMessageStore(db);
    instances.set(ctx, { db, events, messages });
    registerStores(ctx, {
      profiles: new PgProfileStore(db),
      events,
      journeys: new PgJourneyStore(db),
      enrollments: new PgEnrollmentStore(db),
      timers: new PgTimerStore(db),
      messages,
      segments: new PgSegmentStore(db),
      templates: new PgTemplateStore(db),
      health: db,
    });
  },
  async init(ctx) {
    await instances.get(ctx)?.db.open(ctx.clock.now());
  },
  async close(ctx) {
    const instance = instances.get(ctx);
    if (!instance) return;
    // Appends and updates already on their way finish (or fail loudly) before the pool ends.
    try {
      await Promise.all([instance.events.flush(), instance.messages.flush()]);
    } finally {
      await instance.db.close();
    }
  },
  // simulate()'s throwaway instances: the same server and database, in a new schema of their own with a
  // small pool, migrated at start and dropped at stop, so the instance's own schema is never touched.
  throwaway: (config) =>
    storagePostgres({
      ...config,
      schema: `nudge_sim_${randomBytes(8).toString("hex")}`,
      pool: { ...config.pool, max: 2 },
      temporarySchema: true,
    }),
});

export { PostgresStorageConfig, type PostgresStorageConfigInput } from "./config.js";
export { PgDatabase } from "./pg-database.js";
export { MIGRATIONS as POSTGRES_MIGRATIONS } from "./migrations.js";
