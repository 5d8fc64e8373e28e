import { definePlugin, registerStores, type PluginFactory } from "@nudge/core";
import { MemoryStorageConfig } from "./config.js";
import { MemoryEnrollmentStore } from "./memory-enrollment-store.js";
import { MemoryEventStore } from "./memory-event-store.js";
import { MemoryJourneyStore } from "./memory-journey-store.js";
import { MemoryMessageStore } from "./memory-message-store.js";
import { MemoryProfileStore } from "./memory-profile-store.js";
import { MemorySegmentStore } from "./memory-segment-store.js";
import { MemoryTemplateStore } from "./memory-template-store.js";
import { MemoryTimerStore } from "./memory-timer-store.js";

/** Every storage port in memory: for tests and throwaway demos. Nothing survives the process. */
export const storageMemory: PluginFactory<typeof MemoryStorageConfig> = definePlugin({
  id: "storage-memory",
  kind: "storage",
  configSchema: MemoryStorageConfig,
  register(ctx) {
    registerStores(ctx, {
      profiles: new MemoryProfileStore(),
      events: new MemoryEventStore(),
      journeys: new MemoryJourneyStore(),
      enrollments: new MemoryEnrollmentStore(),
      timers: new MemoryTimerStore(),
      messages: new MemoryMessageStore(),
      segments: new MemorySegmentStore(),
      templates: new MemoryTemplateStore(),
    });
  },
  // Every registration is a new, empty store: simulate()'s throwaway instances take one.
  throwaway: () => storageMemory(),
});

export {
  MemoryEnrollmentStore,
  MemoryEventStore,
  MemoryJourneyStore,
  MemoryMessageStore,
  MemoryProfileStore,
  MemorySegmentStore,
  MemoryTemplateStore,
  MemoryTimerStore,
};
