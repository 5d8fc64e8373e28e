import type { Clock } from "./ports/clock.js";
import type { Logger } from "./ports/logger.js";
import type {
  EnrollmentStore,
  EventStore,
  JourneyStore,
  MessageStore,
  ProfileStore,
  SegmentStore,
  TemplateStore,
  TimerStore,
  HealthCheck,
} from "./ports/stores.js";
import type { JobQueue } from "./ports/job-queue.js";
import type { Channel } from "./ports/channel.js";
import type { Provider } from "./ports/provider.js";
import type { Policy } from "./ports/policy.js";
import type { TriggerSource } from "./ports/trigger-source.js";
import type { SandboxOutbox } from "./sandbox/sandbox-outbox.js";
import type { LinkService } from "./links/link-service.js";

/**
 * A typed injection token. At runtime it is a unique symbol, which is what tsyringe keys on;
 * the phantom type lets `ctx.registerInstance(Tokens.Clock, value)` check `value` at compile time.
 */
export type Token<T> = symbol & { readonly __nudgeToken?: T };

export interface TokenInfo {
  readonly name: string;
  /** Several registrations allowed (channels, policies, trigger sources). */
  readonly multi: boolean;
}

const registry = new Map<symbol, TokenInfo>();

export function token<T>(name: string, options: { multi?: boolean } = {}): Token<T> {
  const sym = Symbol.for(`nudge.${name}`);
  registry.set(sym, { name, multi: options.multi ?? false });
  return sym as Token<T>;
}

export function tokenInfo(t: symbol): TokenInfo {
  return registry.get(t) ?? { name: t.description ?? String(t), multi: false };
}

/** Every injection token of Nudge, in one place. Plugins provide the ports; the engine consumes them. */
export const Tokens = {
  Workspace: token<string>("Workspace"),
  Clock: token<Clock>("Clock"),
  Logger: token<Logger>("Logger"),
  SandboxOutbox: token<SandboxOutbox>("SandboxOutbox"),
  /** Signed click, open-pixel and unsubscribe links. */
  Links: token<LinkService>("Links"),
  ProfileStore: token<ProfileStore>("ProfileStore"),
  EventStore: token<EventStore>("EventStore"),
  JourneyStore: token<JourneyStore>("JourneyStore"),
  EnrollmentStore: token<EnrollmentStore>("EnrollmentStore"),
  TimerStore: token<TimerStore>("TimerStore"),
  MessageStore: token<MessageStore>("MessageStore"),
  SegmentStore: token<SegmentStore>("SegmentStore"),
  TemplateStore: token<TemplateStore>("TemplateStore"),
  /** Optional: a storage plugin's readiness probe (GET /readyz). */
  StorageHealth: token<HealthCheck>("StorageHealth"),
  JobQueue: token<JobQueue>("JobQueue"),
  Channel: token<Channel>("Channel", { multi: true }),
  /** Vendors, several per channel kind; channels pick them with `ctx.providers(kind, ids)`. */
  Provider: token<Provider>("Provider", { multi: true }),
  Policy: token<Policy>("Policy", { multi: true }),
  TriggerSource: token<TriggerSource>("TriggerSource", { multi: true }),
} as const;

/** The ports a storage plugin must provide. */
export const StoragePorts = [
  Tokens.ProfileStore,
  Tokens.EventStore,
  Tokens.JourneyStore,
  Tokens.EnrollmentStore,
  Tokens.TimerStore,
  Tokens.MessageStore,
  Tokens.SegmentStore,
  Tokens.TemplateStore,
] as const;
