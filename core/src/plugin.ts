import type { z } from "zod";
import type { PluginContext } from "./container/plugin-context.js";
import type { Token } from "./tokens.js";

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
