import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createNudge,
  definePlugin,
  defineProvider,
  journey,
  RecipientUnreachableError,
  sandboxChannel,
  sandboxProvider,
  silentLogger,
  ValidationError,
  Tokens,
  type Channel,
  type Nudge,
  type PluginSpec,
  type Provider,
} from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";

/** Every call that would have reached a vendor. */
const vendorCalls: string[] = [];

/** A vendor's provider for the "text" kind: each member that talks to the vendor records that it was called. */
const acmeText = defineProvider({
  id: "acme",
  channel: "text",
  configSchema: z.object({}),
  create: (): Provider & { init(): Promise<void>; close(): Promise<void> } => ({
    id: "acme",
    channel: "text",
    idempotency: "lookup",
    rateLimit: { perSecond: 1 },
    async send(call) {
      vendorCalls.push(`send ${call.to}`);
      return { providerMessageId: "acme-1", status: "sent" };
    },
    async lookup() {
      vendorCalls.push("lookup");
      return null;
    },
    async poll() {
      vendorCalls.push("poll");
      return null;
    },
    async init() {
      vendorCalls.push("init");
    },
    async close() {
      vendorCalls.push("close");
    },
  }),
});

/**
 * A channel with a rule of its own in `send`, as Kakao's Brand Message has: a person known not to be a friend
 * is refused before any provider call (the dispatcher then falls back).
 */
const friendsOnly = definePlugin({
  id: "channel-friends",
  kind: "channel",
  configSchema: z.object({}),
  register(ctx) {
    const providers = ctx.providers("friends", ["sandbox"]);
    const channel: Channel<{ text: string }> = {
      id: "friends",
      providers: providers.ids,
      contentSchema: z.object({ text: z.string() }),
      address: (p) => p.contacts.phone ?? null,
      async send(m) {
        if (m.context.profile.traits["friend"] === false) throw new RecipientUnreachableError("not a friend", { providerCode: "NOT_FRIEND" });
        return providers.send({ to: m.to, payload: m.content, context: m.context });
      },
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});

/** A channel that calls its vendor itself, without providers (examples/custom-channel). */
const selfSending = definePlugin({
  id: "channel-chat",
  kind: "channel",
  configSchema: z.object({}),
  register(ctx) {
    const channel: Channel<{ text: string }> = {
      id: "chat",
      providers: ["chat-webhook"],
      contentSchema: z.object({ text: z.string() }),
      address: (p) => p.userId,
      async send(m) {
        vendorCalls.push(`chat ${m.to}`);
        return { providerMessageId: "chat-1" };
      },
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});

/** A vendor's provider that declares a limit its channel checks before sending (as sms `images`, kakao `issues`). */
interface LimitedProvider extends Provider<{ text: string }> {
  readonly maxChars: number;
}
const acmeLimited = defineProvider({
  id: "acme",
  channel: "limited",
  configSchema: z.object({}),
  create: (): LimitedProvider => ({
    id: "acme",
    channel: "limited",
    idempotency: "none",
    maxChars: 5,
    async send() {
      vendorCalls.push("limited send");
      return {};
    },
  }),
});
const limited = definePlugin({
  id: "channel-limited",
  kind: "channel",
  configSchema: z.object({}),
  register(ctx) {
    const providers = ctx.providers<LimitedProvider>("limited", ["acme"]);
    const channel: Channel<{ text: string }> = {
      id: "limited",
      providers: providers.ids,
      contentSchema: z.object({ text: z.string() }),
      address: (p) => p.userId,
      prepare(content) {
        const max = providers.list()[0]!.maxChars;
        if (content.text.length > max) throw new ValidationError("limited content", [{ path: "text", message: `at most ${max} characters` }]);
        return {};
      },
      send: (m) => providers.send({ to: m.to, payload: m.content, context: m.context }),
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});

const FAILS = "+821099990000";
const OUT_OF_REACH = "+821088880000";

let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
  vendorCalls.length = 0;
});

/** Created, never started: simulate() needs neither start() nor a `simulation` option with storage-memory. */
async function live(plugins: PluginSpec[]): Promise<Nudge> {
  nudge = await createNudge({ workspace: "acme", plugins: [storageMemory(), ...plugins], logger: silentLogger() });
  return nudge;
}

const hello = (channel: string, fallback: string[] = []) =>
  journey("hello")
    .on("signed_up")
    .send("hi", { channel, content: { text: "hi" }, fallback: fallback.map((c) => ({ channel: c, content: { text: "hi" } })) })
    .build();

const signedUp = (profile: object) => ({ profile, events: [{ at: "2026-03-02T03:00:00Z", name: "signed_up" }] });

const attempts = (r: Awaited<ReturnType<Nudge["simulate"]>>) => r.messages[0]!.attempts.map((a) => [a.channel, a.provider, a.status]);

describe("simulate() runs the live channels' own rules", () => {
  it("a channel refusing a recipient in its own send falls back, as in production", async () => {
    const n = await live([friendsOnly(), sandboxChannel({ id: "text", kind: "text", addressFrom: "phone" })]);
    const r = await n.simulate(hello("friends", ["text"]), signedUp({ userId: "u1", traits: { friend: false }, contacts: { phone: "+821012345678" } }));
    expect(attempts(r)).toEqual([
      ["friends", "sandbox", "unreachable"],
      ["text", "sandbox", "sent"],
    ]);
    expect(r.messages[0]).toMatchObject({ status: "sent", channel: "text" });
  });

  it("the host's sandbox providers keep their failFor: a failure falls back, or fails the message", async () => {
    const n = await live([
      sandboxChannel({ id: "text", kind: "text", addressFrom: "phone" }),
      friendsOnly(),
      sandboxProvider({ channel: "text", failFor: { [FAILS]: "permanent", [OUT_OF_REACH]: "unreachable" } }),
    ]);
    const unreachable = await n.simulate(hello("text", ["friends"]), signedUp({ userId: "u1", contacts: { phone: OUT_OF_REACH } }));
    expect(attempts(unreachable)).toEqual([
      ["text", "sandbox", "unreachable"],
      ["friends", "sandbox", "sent"],
    ]);
    const failed = await n.simulate(hello("text"), signedUp({ userId: "u2", contacts: { phone: FAILS } }));
    expect(failed.messages[0]).toMatchObject({ status: "failed", channel: "text", attempts: [expect.objectContaining({ providerCode: "sandbox_permanent" })] });
    expect(n.sandbox.list()).toEqual([]);
  });
});

describe("simulate() never reaches a vendor", () => {
  it("a vendor's provider keeps its id but only records; its init, lookup and poll are never called", async () => {
    const n = await live([sandboxChannel({ id: "text", kind: "text", providers: ["acme"], addressFrom: "phone" }), acmeText()]);
    const r = await n.simulate(hello("text"), signedUp({ userId: "u1", contacts: { phone: "+821012345678" } }));
    expect(r.messages[0]).toMatchObject({ status: "sent", provider: "acme", recipient: "+821012345678" });
    expect(r.messages[0]!.attempts[0]!.providerMessageId).toMatch(/^sandbox-text-/);
    expect(vendorCalls).toEqual([]);
  });

  it("a vendor's provider still declares its limits to its channel, which refuses what production would", async () => {
    const n = await live([limited(), acmeLimited()]);
    const tooLong = journey("hello").on("signed_up").send("hi", { channel: "limited", content: { text: "longer than five" } }).build();
    const r = await n.simulate(tooLong, signedUp({ userId: "u1" }));
    expect(r.messages[0]).toMatchObject({ status: "failed", attempts: [expect.objectContaining({ errorCode: "NUDGE_VALIDATION", error: expect.stringContaining("at most 5") })] });
    const ok = await n.simulate(hello("limited"), signedUp({ userId: "u1" }));
    expect(ok.messages[0]).toMatchObject({ status: "sent", provider: "acme" });
    expect(vendorCalls).toEqual([]);
  });

  it("a channel that calls its vendor itself keeps its address and schema, and its send only records", async () => {
    const n = await live([selfSending()]);
    const r = await n.simulate(hello("chat"), signedUp({ userId: "minji" }));
    expect(r.messages[0]).toMatchObject({ status: "sent", channel: "chat", recipient: "minji", provider: "chat-webhook" });
    expect(vendorCalls).toEqual([]);
  });
});

describe("what simulate() refuses", () => {
  it("a plugin registering its channel as a class, which it could not keep from the vendor", async () => {
    class ChatChannel {
      readonly id = "chat";
      readonly providers = ["chat-webhook"];
      readonly contentSchema = z.object({ text: z.string() });
      address = () => "x";
      send = async () => ({});
    }
    const byClass = definePlugin({ id: "channel-by-class", kind: "channel", configSchema: z.object({}), register: (ctx) => ctx.registerSingleton(Tokens.Channel, ChatChannel as never) });
    const n = await live([byClass()]);
    await expect(n.simulate(hello("chat"), signedUp({ userId: "u1" }))).rejects.toMatchObject({ code: "NUDGE_SIMULATION", message: expect.stringContaining('"channel-by-class"') });
  });
});

describe("the simulated person", () => {
  it("has contacts normalized as identify stores them, and a bad one is refused naming its field", async () => {
    const n = await live([sandboxChannel({ id: "text", kind: "text", addressFrom: "phone" })]);
    const r = await n.simulate(hello("text"), signedUp({ userId: "u1", contacts: { phone: "010-1234-5678" }, timezone: "asia/seoul" }));
    expect(r.messages[0]).toMatchObject({ recipient: "+821012345678", status: "sent" });
    expect(r.timezone).toBe("Asia/Seoul");
    await expect(n.simulate(hello("text"), signedUp({ contacts: { phone: "12" } }))).rejects.toMatchObject({
      code: "NUDGE_VALIDATION",
      issues: [expect.objectContaining({ path: "profile.contacts.phone" })],
    });
  });
});
