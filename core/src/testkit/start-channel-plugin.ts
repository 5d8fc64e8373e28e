import type { PluginContext } from "../container/plugin-context.js";
import { ProviderSets } from "../container/provider-sets.js";
import type { Provider } from "../ports/provider.js";
import { SandboxProvider, SandboxProviderConfig } from "../sandbox/sandbox-provider.js";
import { LinkService, type LinkSettings } from "../links/link-service.js";
import type { PluginSpec } from "../plugin.js";
import type { Channel } from "../ports/channel.js";
import { FakeClock } from "../ports/clock.js";
import { silentLogger } from "../ports/logger.js";
import { SandboxOutbox } from "../sandbox/sandbox-outbox.js";
import { Tokens, type Token } from "../tokens.js";

export interface StartedChannelPlugin<C> {
  /** The first channel the plugin registered. */
  channel: Channel<C>;
  links: LinkService;
  outbox: SandboxOutbox;
  clock: FakeClock;
  close(): Promise<void>;
}

export interface StartChannelPluginOptions {
  /** Defaults to a FakeClock at 2026-03-02T01:00:00Z. */
  clock?: FakeClock;
  /** Defaults to "acme". */
  workspace?: string;
  /** Click and unsubscribe link settings; null (the default) signs with a per-process key, as createNudge does without them. */
  links?: LinkSettings | null;
  /** Provider plugins the channel names in its `providers` (besides "sandbox", which needs none). */
  providers?: PluginSpec[];
}

/**
 * Runs a channel plugin the way createNudge does (config parsed by its schema, register, init) against a
 * small PluginContext holding links, the sandbox outbox and the clock, so a channel can be driven directly
 * by the conformance kit and unit tests without storage or an engine.
 */
export async function startChannelPlugin<C>(spec: PluginSpec, options: StartChannelPluginOptions = {}): Promise<StartedChannelPlugin<C>> {
  const started = await startPlugins([...(options.providers ?? []), spec], options);
  return { ...started, channel: started.channels[0] as Channel<C> };
}

export interface StartedProviderPlugin<P> {
  /** The first provider the plugin registered. */
  provider: Provider<P>;
  providers: Provider[];
  outbox: SandboxOutbox;
  clock: FakeClock;
  close(): Promise<void>;
}

/** Runs a provider plugin as createNudge does (config parsed, register, init), for the provider kit and unit tests. */
export async function startProviderPlugin<P = unknown>(spec: PluginSpec, options: Omit<StartChannelPluginOptions, "providers"> = {}): Promise<StartedProviderPlugin<P>> {
  const started = await startPlugins([spec], options);
  if (started.providers.length === 0) throw new Error(`plugin "${spec.plugin.id}" registered no provider`);
  return { ...started, provider: started.providers[0] as Provider<P> };
}

async function startPlugins(specs: PluginSpec[], options: StartChannelPluginOptions) {
  const workspace = options.workspace ?? "acme";
  const clock = options.clock ?? new FakeClock("2026-03-02T01:00:00Z");
  const links = new LinkService(workspace, options.links ?? null);
  const outbox = new SandboxOutbox();
  const single = new Map<symbol, unknown>([
    [Tokens.Links, links],
    [Tokens.SandboxOutbox, outbox],
    [Tokens.Clock, clock],
  ]);
  const channels: Channel[] = [];
  const providers: { provider: Provider; pluginId: string }[] = [];
  const sets = new ProviderSets();
  const contextFor = (pluginId: string): PluginContext => ({
    pluginId,
    workspace,
    timezone: "UTC",
    logger: silentLogger(),
    clock,
    registerInstance<T>(token: Token<T>, value: T) {
      if (token === Tokens.Channel) channels.push(value as Channel);
      else if (token === Tokens.Provider) providers.push({ provider: value as Provider, pluginId });
      else single.set(token, value);
    },
    registerSingleton() {
      throw new Error("registerSingleton is not used by this plugin");
    },
    isRegistered: (token) => single.has(token),
    resolve<T>(token: Token<T>): T {
      if (!single.has(token)) throw new Error(`${String(token.description)} is not registered`);
      return single.get(token) as T;
    },
    resolveAll<T>(token: Token<T>): T[] {
      return (token === Tokens.Channel ? channels : token === Tokens.Provider ? providers.map((p) => p.provider) : []) as T[];
    },
    providers: (kind, ids) => sets.request(pluginId, kind, ids),
  });
  // Providers first, then the channel, as createNudge would in any order: the sets are bound after both.
  const loaded = specs.map((s) => {
    const ctx = contextFor(s.plugin.channel ? `${s.plugin.channel}/${s.plugin.id}` : s.plugin.id);
    const config = s.plugin.configSchema.parse(s.config ?? {});
    s.plugin.register(ctx, config);
    return { s, ctx, config };
  });
  sets.bind(providers, (kind) => new SandboxProvider(kind, SandboxProviderConfig.parse({}), outbox, clock), silentLogger());
  for (const { s, ctx, config } of loaded) await s.plugin.init?.(ctx, config);
  return {
    channels,
    providers: providers.map((p) => p.provider),
    links,
    outbox,
    clock,
    close: async () => {
      for (const { s, ctx, config } of [...loaded].reverse()) await s.plugin.close?.(ctx, config);
    },
  };
}
