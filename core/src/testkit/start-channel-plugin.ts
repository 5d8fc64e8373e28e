import type { PluginContext } from "../container/plugin-context.js";
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
}

/**
 * Runs a channel plugin the way createNudge does (config parsed by its schema, register, init) against a
 * small PluginContext holding links, the sandbox outbox and the clock, so a channel can be driven directly
 * by the conformance kit and unit tests without storage or an engine.
 */
export async function startChannelPlugin<C>(spec: PluginSpec, options: StartChannelPluginOptions = {}): Promise<StartedChannelPlugin<C>> {
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
  const ctx: PluginContext = {
    pluginId: spec.plugin.id,
    workspace,
    logger: silentLogger(),
    clock,
    registerInstance<T>(token: Token<T>, value: T) {
      if (token === Tokens.Channel) channels.push(value as Channel);
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
      return (token === Tokens.Channel ? channels : []) as T[];
    },
  };
  const config = spec.plugin.configSchema.parse(spec.config ?? {});
  spec.plugin.register(ctx, config);
  await spec.plugin.init?.(ctx, config);
  return { channel: channels[0] as Channel<C>, links, outbox, clock, close: async () => spec.plugin.close?.(ctx, config) };
}
