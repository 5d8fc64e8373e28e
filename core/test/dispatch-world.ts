import { z } from "zod";
import { storageMemory } from "@nudge/storage-memory";
import {
  createNudge,
  definePlugin,
  FakeClock,
  policies,
  silentLogger,
  Tokens,
  usableContact,
  type Channel,
  type EngineSettingsInput,
  type Message,
  type Nudge,
  type PluginSpec,
  type PoliciesConfigInput,
  type Profile,
  type ProviderRateLimit,
  type SendResult,
} from "@nudge/core";

export const WS = "acme";

/** A test channel: sandbox-like, with the behaviours dispatch tests need. */
export interface TestChannelSpec {
  id: string;
  provider?: string;
  /** Default: the profile's phone, unless a provider declared it invalid. */
  address?: (p: Profile) => string | null;
  /** Message type and price (KRW) from the rendered content. */
  price?: (content: { text: string }) => { messageType: string; amount: number };
  /** Successive sends throw these (undefined: that send succeeds); later sends succeed. */
  failures?: (Error | undefined)[];
  /** Sends to these addresses throw. */
  failFor?: Record<string, () => Error>;
  rateLimit?: ProviderRateLimit;
  /** Sends wait for this before answering. */
  gate?: Promise<void>;
}

export interface SendRecord {
  channel: string;
  to: string;
  text: string;
  idempotencyKey: string;
  at: number;
}

export interface Probe {
  sends: SendRecord[];
  /** Every call to send(), failed ones included. */
  calls: { channel: string; at: number; idempotencyKey: string }[];
  inFlight: number;
  maxInFlight: number;
}

/** Friendtalk / Brand Message as the tests see it: friends only, 15 KRW a text. */
export const friendtalk: TestChannelSpec = {
  id: "kakao-friendtalk",
  provider: "test-kakao",
  address: (p) => (p.contacts.kakao?.channelFriend === false ? null : (p.contacts.phone ?? null)),
  price: () => ({ messageType: "BMS_TEXT", amount: 15 }),
};

/** SMS up to 90 bytes (a Korean character counts 2), LMS above: 9.9 / 30 KRW. */
export const sms: TestChannelSpec = {
  id: "sms",
  provider: "test-sms",
  price: ({ text }) => ([...text].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x7f ? 2 : 1), 0) <= 90 ? { messageType: "SMS", amount: 9.9 } : { messageType: "LMS", amount: 30 }),
};

export function testChannels(specs: TestChannelSpec[], probe: Probe = newProbe()): { plugin: PluginSpec; probe: Probe } {
  const plugin = definePlugin({
    id: "test-channels",
    kind: "channel",
    configSchema: z.object({}),
    register(ctx) {
      for (const spec of specs) {
        const failures = [...(spec.failures ?? [])];
        const channel: Channel<{ text: string }> = {
          id: spec.id,
          providers: [spec.provider ?? "test"],
          contentSchema: z.object({ text: z.string().min(1) }),
          ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}),
          address: spec.address ?? ((p) => usableContact(p, "phone")),
          ...(spec.price
            ? {
                prepare: (content) => {
                  const p = spec.price!(content);
                  return { messageType: p.messageType, cost: { amount: p.amount, currency: "KRW" } };
                },
              }
            : {}),
          async send(m): Promise<SendResult> {
            probe.calls.push({ channel: spec.id, at: ctx.clock.now(), idempotencyKey: m.context.idempotencyKey });
            probe.inFlight++;
            probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
            try {
              if (spec.gate) await spec.gate;
              const failure = failures.length > 0 ? failures.shift() : spec.failFor?.[m.to]?.();
              if (failure) throw failure;
              probe.sends.push({ channel: spec.id, to: m.to, text: m.content.text, idempotencyKey: m.context.idempotencyKey, at: ctx.clock.now() });
              return { providerMessageId: `${spec.id}-${probe.sends.length}`, status: "sent" };
            } finally {
              probe.inFlight--;
            }
          },
        };
        ctx.registerInstance(Tokens.Channel, channel as Channel);
      }
    },
  });
  return { plugin: plugin(), probe };
}

export function newProbe(): Probe {
  return { sends: [], calls: [], inFlight: 0, maxInFlight: 0 };
}

export interface DispatchWorld {
  nudge: Nudge;
  clock: FakeClock;
  probe: Probe;
}

/** A started instance with storage-memory, the given test channels and policies. */
export async function world(
  options: { channels?: TestChannelSpec[]; policies?: PoliciesConfigInput; settings?: EngineSettingsInput; at?: string } = {},
): Promise<DispatchWorld> {
  const clock = new FakeClock(options.at ?? "2026-03-02T03:00:00Z"); // Monday 12:00 in Seoul
  const { plugin, probe } = testChannels(options.channels ?? [friendtalk, sms]);
  const plugins = [storageMemory(), plugin, ...(options.policies ? [policies(options.policies)] : [])];
  const nudge = await createNudge({ workspace: WS, plugins, logger: silentLogger(), clock, settings: options.settings ?? {} });
  await nudge.start();
  return { nudge, clock, probe };
}

export interface PersonSpec {
  phone?: string;
  timezone?: string;
  /** Marketing consent per channel (given at `consentAt`, default now). */
  subscribed?: string[];
  unsubscribed?: string[];
  consentAt?: number;
  friend?: boolean;
  nightConsent?: boolean;
}

export async function person(w: DispatchWorld, userId: string, spec: PersonSpec = {}): Promise<Profile> {
  const created = await w.nudge.profiles.resolve({ userId });
  const at = spec.consentAt ?? w.clock.now();
  const saved = await w.nudge.profiles.update(created.id, (p) => {
    p.contacts.phone = spec.phone ?? "+821012345678";
    p.timezone = spec.timezone ?? "Asia/Seoul";
    if (spec.friend !== undefined) p.contacts.kakao = { channelFriend: spec.friend };
    for (const channel of spec.subscribed ?? []) p.subscriptions.push({ channel, state: "subscribed", at, source: "signup form" });
    for (const channel of spec.unsubscribed ?? []) p.subscriptions.push({ channel, state: "unsubscribed", at, source: "080" });
    if (spec.nightConsent) p.nightAdConsent = { granted: true, at, source: "night consent form" };
    return p;
  });
  return saved!;
}

/** The stored message (the log), by id. */
export async function logged(w: DispatchWorld, id: string): Promise<Message> {
  const m = await w.nudge.resolve(Tokens.MessageStore).get(WS, id);
  if (!m) throw new Error(`message ${id} is not in the log`);
  return m;
}

export async function resumeTimer(w: DispatchWorld, messageId: string): Promise<number | null> {
  return (await w.nudge.resolve(Tokens.TimerStore).get(WS, `message.resume:${messageId}`))?.dueAt ?? null;
}

/** An advertising SMS that satisfies the Korean rules. */
export const AD_TEXT = "(광고) Acme 봄 세일 20% 02-123-4567 무료수신거부 080-123-4567";

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
