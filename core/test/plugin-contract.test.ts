import "reflect-metadata";
import { inject, injectable } from "tsyringe";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { storageMemory } from "@nudge/storage-memory";
import {
  assertInjectable,
  createNudge,
  definePlugin,
  FakeClock,
  PluginLifecycleError,
  sandboxChannel,
  silentLogger,
  token,
  Tokens,
  type Clock,
} from "@nudge/core";

function recorder(log: string[], id: string, options: { failInit?: boolean } = {}) {
  return definePlugin({
    id,
    kind: "trigger",
    configSchema: z.object({}),
    register: () => void log.push(`register ${id}`),
    init: async () => {
      log.push(`init ${id}`);
      if (options.failInit) throw new Error("cannot connect to db.example:5432");
    },
    close: async () => void log.push(`close ${id}`),
  })();
}

describe("plugin lifecycle", () => {
  it("registers and initialises in order, closes in reverse, once", async () => {
    const log: string[] = [];
    const nudge = await createNudge({ workspace: "w", plugins: [storageMemory(), recorder(log, "a"), recorder(log, "b")], logger: silentLogger(), clock: new FakeClock() });
    expect(log).toEqual(["register a", "register b"]);
    await nudge.start();
    await Promise.all([nudge.stop(), nudge.stop()]);
    await nudge.stop();
    expect(log).toEqual(["register a", "register b", "init a", "init b", "close b", "close a"]);
  });

  it("wraps an init failure naming the plugin, and closes what was already initialised", async () => {
    const log: string[] = [];
    const nudge = await createNudge({
      workspace: "w",
      plugins: [storageMemory(), recorder(log, "a"), recorder(log, "b", { failInit: true }), recorder(log, "c")],
      logger: silentLogger(),
    });
    const err = await nudge.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLifecycleError);
    expect(err).toMatchObject({ pluginId: "b", phase: "init", message: 'Error in plugin "b" during init: cannot connect to db.example:5432' });
    expect(log).toEqual(["register a", "register b", "register c", "init a", "init b", "close a"]);
  });

  it("refuses a plugin that claims a port another plugin provides, naming both", async () => {
    const second = definePlugin({
      id: "my-clock",
      kind: "policy",
      configSchema: z.object({}),
      register: (ctx) => ctx.registerInstance(Tokens.ProfileStore, {} as never),
    });
    await expect(createNudge({ workspace: "w", plugins: [storageMemory(), second()], logger: silentLogger() })).rejects.toMatchObject({
      code: "NUDGE_DUPLICATE_PORT",
      message: 'Plugins "storage-memory" and "my-clock" both provide ProfileStore; keep one of them',
    });
  });

  it("fails at boot when a plugin's required port is missing", async () => {
    const Needy = token<string>("Needy");
    const needy = definePlugin({ id: "needy", kind: "trigger", configSchema: z.object({}), requires: [Needy], register: () => {} });
    await expect(createNudge({ workspace: "w", plugins: [storageMemory(), needy()], logger: silentLogger() })).rejects.toMatchObject({
      code: "NUDGE_MISSING_PORT",
      message: 'plugin "needy" requires Needy, which no plugin provides',
    });
  });

  it("refuses two channels with one id", async () => {
    const twin = definePlugin({
      id: "twin",
      kind: "channel",
      configSchema: z.object({}),
      register: (ctx) => ctx.registerInstance(Tokens.Channel, { id: "sandbox", providers: ["twin"], contentSchema: z.object({}), address: () => null, send: async () => ({}) }),
    });
    await expect(createNudge({ workspace: "w", plugins: [storageMemory(), sandboxChannel(), twin()], logger: silentLogger() })).rejects.toMatchObject({
      code: "NUDGE_DUPLICATE_CHANNEL",
    });
  });

  it("rejects a bad workspace name", async () => {
    await expect(createNudge({ workspace: "a b/c", plugins: [storageMemory()], logger: silentLogger() })).rejects.toMatchObject({ code: "NUDGE_BAD_WORKSPACE" });
  });
});

describe("explicit injection tokens", () => {
  @injectable()
  class Good {
    constructor(@inject(Tokens.Clock) readonly clock: Clock) {}
  }
  @injectable()
  class Forgot {
    constructor(
      @inject(Tokens.Clock) readonly clock: Clock,
      readonly other: Clock,
    ) {}
  }

  it("accepts a class whose every parameter has @inject, and names the parameter that lacks one", () => {
    expect(() => assertInjectable(Good)).not.toThrow();
    expect(() => assertInjectable(Forgot)).toThrow("Forgot: constructor parameter 1 has no @inject(Tokens.X) token");
  });

  it("registerSingleton refuses such a class at boot", async () => {
    const plugin = definePlugin({
      id: "forgetful",
      kind: "policy",
      configSchema: z.object({}),
      register: (ctx) => ctx.registerSingleton(token<Forgot>("Forgot"), Forgot),
    });
    await expect(createNudge({ workspace: "w", plugins: [storageMemory(), plugin()], logger: silentLogger() })).rejects.toMatchObject({ code: "NUDGE_MISSING_INJECT" });
  });

  it("every engine service passes the check (they are resolved under toolchains without decorator metadata)", async () => {
    const nudge = await createNudge({ workspace: "w", plugins: [storageMemory()], logger: silentLogger(), clock: new FakeClock() });
    expect(nudge.journeys).toBeDefined();
    expect(nudge.profiles).toBeDefined();
    expect(nudge.templates).toBeDefined();
    expect(nudge.webhooks).toBeDefined();
    expect(nudge.system.storageHealth()).toBeNull();
  });
});
