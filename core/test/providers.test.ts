import { z } from "zod";
import { describe, expect, it } from "vitest";
import { storageMemory } from "@nudge/storage-memory";
import {
  ChannelRejectedError,
  ChannelUnavailableError,
  createNudge,
  definePlugin,
  FakeClock,
  sandboxChannel,
  sandboxProvider,
  Tokens,
  type Provider,
  type ProviderCall,
} from "@nudge/core";
import { capturingLogger } from "@nudge/core/testkit";

type Failure = "refused" | "rejected" | "unknown" | null;

/** A provider of the "text" kind whose next answers are scripted, recording the calls it gets. */
function scripted(id: string, calls: string[], answers: Failure[] = []) {
  return definePlugin({
    id,
    kind: "provider",
    channel: "text",
    configSchema: z.object({}),
    register(ctx) {
      const provider: Provider<{ text: string }> = {
        id,
        channel: "text",
        idempotency: "none",
        async send(call: ProviderCall<{ text: string }>) {
          calls.push(`${id}:${call.to}`);
          const next = answers.shift() ?? null;
          if (next === "refused") throw new ChannelUnavailableError(`${id} refused the connection`, { notSent: true });
          if (next === "unknown") throw new ChannelUnavailableError(`${id} timed out`);
          if (next === "rejected") throw new ChannelRejectedError(`${id} rejected the number`);
          return { providerMessageId: `${id}-${calls.length}`, status: "sent" };
        },
      };
      ctx.registerInstance(Tokens.Provider, provider as Provider);
    },
  })();
}

async function boot(plugins: Parameters<typeof createNudge>[0]["plugins"]) {
  const { logger, lines } = capturingLogger();
  const clock = new FakeClock("2026-03-02T03:00:00Z");
  const nudge = await createNudge({ workspace: "acme", plugins: [storageMemory(), ...plugins], logger, clock });
  return { nudge, lines, clock };
}

async function sendOne(nudge: Awaited<ReturnType<typeof createNudge>>, key: string) {
  await nudge.start();
  await nudge.identify({ userId: "u1" });
  const message = await nudge.send({ userId: "u1", channel: "text", content: { text: "hello" }, idempotencyKey: key });
  await nudge.drain();
  return nudge.resolve(Tokens.MessageStore).get("acme", message.id);
}

describe("providers as plugins", () => {
  it("a channel sends through the provider it names, and the message log records that provider", async () => {
    const calls: string[] = [];
    const { nudge } = await boot([sandboxChannel({ id: "text", providers: ["acme-gw"] }), scripted("acme-gw", calls)]);
    const m = await sendOne(nudge, "k1");
    expect(calls).toEqual(["acme-gw:u1"]);
    expect(m?.status).toBe("sent");
    expect(m?.attempts.at(-1)).toMatchObject({ channel: "text", provider: "acme-gw", providerMessageId: "acme-gw-1" });
    await nudge.stop();
  });

  it("fails over to the next provider only when the first provably did not act", async () => {
    const calls: string[] = [];
    const { nudge } = await boot([
      sandboxChannel({ id: "text", providers: ["first", "second"] }),
      scripted("first", calls, ["refused"]),
      scripted("second", calls),
    ]);
    const m = await sendOne(nudge, "k2");
    expect(calls).toEqual(["first:u1", "second:u1"]);
    expect(m?.attempts.at(-1)).toMatchObject({ provider: "second", status: "sent" });
    await nudge.stop();
  });

  it("does not fail over on a rejection or an unknown outcome, which another provider might duplicate", async () => {
    for (const failure of ["rejected", "unknown"] as const) {
      const calls: string[] = [];
      const { nudge } = await boot([
        sandboxChannel({ id: "text", providers: ["first", "second"] }),
        scripted("first", calls, [failure]),
        scripted("second", calls),
      ]);
      await sendOne(nudge, `k-${failure}`);
      expect(calls[0]).toBe("first:u1");
      expect(calls).not.toContain("second:u1");
      await nudge.stop();
    }
  });

  it("fails at boot when a channel names a provider no plugin registers, listing the registered ones", async () => {
    const attempt = boot([sandboxChannel({ id: "text", providers: ["solapi"] }), scripted("nhncloud", [])]);
    await expect(attempt).rejects.toMatchObject({
      code: "NUDGE_MISSING_PROVIDER",
      message: expect.stringMatching(/"channel-sandbox" uses the text provider "solapi".*registered text providers: "nhncloud"/),
    });
  });

  it("fails at boot on two providers with one id for one channel kind", async () => {
    await expect(boot([sandboxChannel({ id: "text", providers: ["gw"] }), scripted("gw", []), scripted("gw", [])])).rejects.toMatchObject({
      code: "NUDGE_DUPLICATE_PLUGIN",
      message: expect.stringContaining("text/gw"),
    });
    // Two plugins with different ids registering one provider id are caught when the providers are bound.
    const twin = definePlugin({
      id: "twin",
      kind: "provider",
      channel: "text",
      configSchema: z.object({}),
      register: (ctx) => ctx.registerInstance(Tokens.Provider, { id: "gw", channel: "text", idempotency: "none", send: async () => ({}) } as Provider),
    })();
    await expect(boot([sandboxChannel({ id: "text", providers: ["gw"] }), scripted("gw", []), twin])).rejects.toMatchObject({
      code: "NUDGE_DUPLICATE_PROVIDER",
      message: expect.stringMatching(/"text\/gw" and "text\/twin" both register the text provider "gw"/),
    });
  });

  it("one vendor id may serve two channel kinds", async () => {
    const calls: string[] = [];
    const other = definePlugin({
      id: "gw",
      kind: "provider",
      channel: "fax",
      configSchema: z.object({}),
      register: (ctx) => ctx.registerInstance(Tokens.Provider, { id: "gw", channel: "fax", idempotency: "none", send: async () => ({}) } as Provider),
    })();
    const { nudge } = await boot([sandboxChannel({ id: "text", providers: ["gw"] }), scripted("gw", calls), other]);
    expect((await sendOne(nudge, "k4"))?.attempts.at(-1)).toMatchObject({ provider: "gw", status: "sent" });
    expect(calls).toEqual(["gw:u1"]);
    await nudge.stop();
  });

  it("says at boot which providers each channel uses, that the sandbox sends nothing, and which providers no channel uses", async () => {
    const { lines } = await boot([sandboxChannel({ id: "text" }), scripted("idle", [])]);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: expect.stringContaining("text providers of channel-sandbox: sandbox (sandbox: nothing leaves this process)") }),
        expect.objectContaining({ level: 40, msg: "provider text/idle is registered but no channel uses it" }),
      ]),
    );
  });

  it("sandboxProvider injects failures for one channel kind", async () => {
    const { nudge } = await boot([sandboxChannel({ id: "text" }), sandboxProvider({ channel: "text", failFor: { u1: "permanent" } })]);
    const m = await sendOne(nudge, "k3");
    expect(m?.status).toBe("failed");
    expect(m?.attempts.at(-1)).toMatchObject({ provider: "sandbox", providerCode: "sandbox_permanent" });
    expect(nudge.sandbox.list()).toEqual([]);
    await nudge.stop();
  });
});
