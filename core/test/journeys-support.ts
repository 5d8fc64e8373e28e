import { z } from "zod";
import {
  MemoryEnrollmentStore,
  MemoryEventStore,
  MemoryJourneyStore,
  MemoryMessageStore,
  MemoryProfileStore,
  MemorySegmentStore,
  MemoryTemplateStore,
  MemoryTimerStore,
  storageMemory,
} from "@nudge/storage-memory";
import {
  createNudge,
  definePlugin,
  FakeClock,
  RecipientUnreachableError,
  registerStores,
  silentLogger,
  Tokens,
  type Channel,
  type EngineSettingsInput,
  type EnrollmentStore,
  type JourneyDefinitionInput,
  type MessageStore,
  type Nudge,
  type PluginSpec,
} from "@nudge/core";

export const WS = "acme";

/** One provider call as a test channel saw it. */
export interface ProviderCall {
  channel: string;
  to: string;
  text: string;
  at: number;
  key: string;
}

/**
 * Text channels under the given ids, addressed by userId. Every provider call is recorded (the count a
 * crash test asserts); `unreachable` lists ids whose sends fail as "cannot reach" (fallback tests).
 */
export function testChannels(ids: string[], options: { calls?: ProviderCall[]; unreachable?: Set<string>; costs?: Record<string, number> } = {}) {
  const calls = options.calls ?? [];
  const plugin = definePlugin({
    id: "test-channels",
    kind: "channel",
    configSchema: z.object({}),
    register(ctx) {
      for (const id of ids) {
        const channel: Channel<{ text: string }> = {
          id,
          providers: ["test"],
          contentSchema: z.object({ text: z.string().min(1) }),
          address: (p) => p.userId,
          prepare: () => (options.costs?.[id] === undefined ? {} : { cost: { amount: options.costs[id]!, currency: "KRW" }, messageType: id.toUpperCase() }),
          async send(m) {
            if (options.unreachable?.has(id)) throw new RecipientUnreachableError(`${id}: not a channel friend`);
            calls.push({ channel: id, to: m.to, text: m.content.text, at: m.context.now, key: m.context.idempotencyKey });
            return { providerMessageId: `${id}-${calls.length}`, status: "sent" };
          },
        };
        ctx.registerInstance(Tokens.Channel, channel as Channel);
      }
    },
  });
  return { plugin: plugin(), calls };
}

/** The memory stores of one "database", shared by every instance built on them (a restart keeps them). */
export function memoryStores() {
  return {
    profiles: new MemoryProfileStore(),
    events: new MemoryEventStore(),
    journeys: new MemoryJourneyStore(),
    enrollments: new MemoryEnrollmentStore() as EnrollmentStore,
    timers: new MemoryTimerStore(),
    messages: new MemoryMessageStore() as MessageStore,
    segments: new MemorySegmentStore(),
    templates: new MemoryTemplateStore(),
  };
}
export type Stores = ReturnType<typeof memoryStores>;

/** Registers existing store objects, so a second instance (a restart) sees what the first one wrote. */
export function sharedStorage(stores: Stores): PluginSpec {
  return definePlugin({
    id: "storage-shared",
    kind: "storage",
    configSchema: z.object({}),
    register(ctx) {
      registerStores(ctx, stores);
    },
  })();
}

/** `simulation: null` leaves out the host's throwaway store for simulations. */
export async function start(options: { stores?: Stores; channels?: PluginSpec; clock?: FakeClock; settings?: EngineSettingsInput; extra?: PluginSpec[]; simulation?: null } = {}) {
  const clock = options.clock ?? new FakeClock("2026-03-02T00:00:00Z");
  const stores = options.stores ?? memoryStores();
  const channels = options.channels ?? testChannels(["sms"]).plugin;
  const nudge = await createNudge({
    workspace: WS,
    plugins: [sharedStorage(stores), channels, ...(options.extra ?? [])],
    logger: silentLogger(),
    clock,
    ...(options.simulation === null ? {} : { simulation: { storage: () => storageMemory() } }),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  await nudge.start();
  return { nudge, clock, stores };
}

export async function publish(nudge: Nudge, def: JourneyDefinitionInput): Promise<void> {
  await nudge.journeys.put(def);
  await nudge.journeys.publish(def.id);
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Lets `ms` pass: the clock stops at each timer's due time on the way, as a real clock would. */
export async function advance(nudge: Nudge, clock: FakeClock, ms: number): Promise<void> {
  const until = clock.now() + ms;
  const timers = nudge.resolve(Tokens.TimerStore);
  for (;;) {
    const next = await timers.nextDueAt(WS);
    if (next === null || next > until) break;
    // A timer still due is leased by a run that failed: step a second at a time until its lease ends.
    clock.set(next > clock.now() ? next : Math.min(until, clock.now() + 1000));
    if (clock.now() === until) break;
    await nudge.drain();
  }
  clock.set(until);
  await nudge.drain();
}

export async function enrollmentsOf(nudge: Nudge, userId: string) {
  const profile = await nudge.resolve(Tokens.ProfileStore).getByUserId(WS, userId);
  return profile ? nudge.resolve(Tokens.EnrollmentStore).listByProfile(WS, profile.id) : [];
}

export async function messagesOf(nudge: Nudge) {
  return (await nudge.resolve(Tokens.MessageStore).list(WS, { limit: 10_000 })).items;
}

/** Throws once at an armed point of a store call, before or after the real call: a process dying there. */
export class Faults {
  private armed: { point: string; when: (arg: unknown) => boolean; fired: boolean }[] = [];
  readonly fired: string[] = [];

  arm(point: string, when: (arg: unknown) => boolean = () => true): void {
    this.armed.push({ point, when, fired: false });
  }

  check(point: string, arg: unknown): void {
    const f = this.armed.find((a) => !a.fired && a.point === point && a.when(arg));
    if (!f) return;
    f.fired = true;
    this.fired.push(point);
    throw new Error(`simulated crash at ${point}`);
  }
}

function faulty<T extends object>(name: string, target: T, faults: Faults, hidden: readonly string[] = []): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (hidden.includes(String(prop))) return undefined;
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        faults.check(`${name}.${String(prop)}:before`, args[0]);
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        faults.check(`${name}.${String(prop)}:after`, args[0]);
        return result;
      };
    },
  });
}

/** Memory stores whose message and enrollment calls can crash at armed points; `withoutInsertClaimed` hides that optional method, as a store that lacks it. */
export function faultyStores(faults: Faults, options: { withoutInsertClaimed?: boolean } = {}): Stores {
  const stores = memoryStores();
  const hidden = options.withoutInsertClaimed ? ["insertClaimed"] : [];
  return { ...stores, messages: faulty("messages", stores.messages, faults, hidden), enrollments: faulty("enrollments", stores.enrollments, faults) };
}

