import { Tokens } from "../tokens.js";
import type { PluginContext } from "../container/plugin-context.js";
import type {
  EnrollmentStore,
  EventStore,
  HealthCheck,
  JourneyStore,
  MessageStore,
  ProfileStore,
  SegmentStore,
  TemplateStore,
  TimerStore,
} from "./stores.js";

/** One backend's store for every storage port, and its readiness probe when it has one. */
export interface StorageStores {
  profiles: ProfileStore;
  events: EventStore;
  journeys: JourneyStore;
  enrollments: EnrollmentStore;
  timers: TimerStore;
  messages: MessageStore;
  segments: SegmentStore;
  templates: TemplateStore;
  health?: HealthCheck;
}

/** Registers each store under its core token: a storage plugin lacking one does not compile. */
export function registerStores(ctx: PluginContext, stores: StorageStores): void {
  ctx.registerInstance(Tokens.ProfileStore, stores.profiles);
  ctx.registerInstance(Tokens.EventStore, stores.events);
  ctx.registerInstance(Tokens.JourneyStore, stores.journeys);
  ctx.registerInstance(Tokens.EnrollmentStore, stores.enrollments);
  ctx.registerInstance(Tokens.TimerStore, stores.timers);
  ctx.registerInstance(Tokens.MessageStore, stores.messages);
  ctx.registerInstance(Tokens.SegmentStore, stores.segments);
  ctx.registerInstance(Tokens.TemplateStore, stores.templates);
  if (stores.health) ctx.registerInstance(Tokens.StorageHealth, stores.health);
}
