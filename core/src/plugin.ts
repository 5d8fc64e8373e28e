import type { z } from "zod";
import type { PluginContext } from "./container/plugin-context.js";
import type { Provider } from "./ports/provider.js";
import { Tokens, type Token } from "./tokens.js";

export type PluginKind = "channel" | "provider" | "storage" | "trigger" | "queue" | "policy" | "predictor" | "model";

/**
 * The plugin contract. `id` is the only registration key; `configSchema` is parsed before `register`;
 * `register` binds ports without I/O; `init` connects; `close` drains (idempotent, reverse order).
 */
export interface NudgePlugin<S extends z.ZodType = z.ZodType> {
  id: string;
  kind: PluginKind;
  /**
   * Providers only: the kind of channel delivered ("sms", "kakao" ...). A provider plugin is keyed by
   * `channel/id`, so one vendor's SMS and Kakao plugins may share the id "solapi".
   */
  channel?: string;
  configSchema: S;
  /** Ports that must be registered (by any plugin) by the end of registration. */
  requires?: readonly Token<unknown>[];
  register(ctx: PluginContext, config: z.output<S>): void;
  init?(ctx: PluginContext, config: z.output<S>): Promise<void>;
  close?(ctx: PluginContext, config: z.output<S>): Promise<void>;
  /**
   * Storage only: a new, empty store of the same kind for the throwaway instances of `simulate()`, made from
   * the live instance's parsed `config`. It shares no data with the instance's own store (memory: a new one;
   * SQLite: a database in memory; PostgreSQL: the same server in a schema of its own, dropped at close), and
   * its `close` removes whatever it made.
   */
  throwaway?(config: z.output<S>): PluginSpec;
}

/** A plugin with the host's configuration, not yet parsed: what `createNudge({ plugins })` takes. */
export interface PluginSpec<S extends z.ZodType = z.ZodType> {
  readonly plugin: NudgePlugin<S>;
  readonly config: unknown;
}

/**
 * The factory a plugin package exports: `sms({ provider: ... })`. The argument is optional in the type;
 * a missing required field is reported by the config schema when the instance is created.
 */
export type PluginFactory<S extends z.ZodType> = (config?: z.input<S>) => PluginSpec<S>;

/**
 * Declares a plugin. Returns the factory hosts call with their configuration; the configuration is
 * parsed (and rejected with PluginConfigError naming the plugin and field) when the instance is created.
 */
export function definePlugin<S extends z.ZodType>(plugin: NudgePlugin<S>): PluginFactory<S> {
  const factory = (config?: z.input<S>): PluginSpec<S> => ({ plugin, config });
  Object.defineProperty(factory, "plugin", { value: plugin });
  return factory;
}

/** A provider with the lifecycle its vendor needs: connect or check keys in `init`, drain in `close`. */
export type ProviderWithLifecycle = Provider & { init?(): Promise<void>; close?(): Promise<void> };

/** What `defineProvider` takes: the provider's key (`channel/id`), its config schema, and how to build it. */
export interface ProviderDefinition<S extends z.ZodType, P extends ProviderWithLifecycle> {
  /** The id channels name in their `providers` list. */
  id: string;
  /** The kind of channel it delivers: "sms", "kakao", "email", "push" ... */
  channel: string;
  configSchema: S;
  /** Builds the provider without I/O; its `init` and `close`, if any, run with the plugin's. */
  create(ctx: PluginContext, config: z.output<S>): P;
}

/**
 * Declares a provider plugin: `definePlugin({ kind: "provider" })` with the registration under
 * `Tokens.Provider` and the provider's own `init`/`close` wired to the plugin's lifecycle.
 */
export function defineProvider<S extends z.ZodType, P extends ProviderWithLifecycle>(definition: ProviderDefinition<S, P>): PluginFactory<S> {
  // One provider per instance the plugin is registered in, found again at init and close.
  const made = new WeakMap<PluginContext, P>();
  return definePlugin({
    id: definition.id,
    kind: "provider",
    channel: definition.channel,
    configSchema: definition.configSchema,
    register(ctx, config) {
      const provider = definition.create(ctx, config);
      made.set(ctx, provider);
      ctx.registerInstance(Tokens.Provider, provider as Provider);
    },
    async init(ctx) {
      await made.get(ctx)?.init?.();
    },
    async close(ctx) {
      await made.get(ctx)?.close?.();
    },
  });
}
