import type { PluginContext } from "../../container/plugin-context.js";
import { BootError } from "../../errors.js";
import type { NudgePlugin, PluginKind, PluginSpec } from "../../plugin.js";
import type { Channel } from "../../ports/channel.js";
import type { Clock } from "../../ports/clock.js";
import type { Provider } from "../../ports/provider.js";
import type { SandboxOutbox } from "../../sandbox/sandbox-outbox.js";
import { SandboxProvider, SandboxProviderConfig } from "../../sandbox/sandbox-provider.js";
import { tokenInfo, Tokens } from "../../tokens.js";
import { providerStandIn } from "./provider-stand-in.js";

/**
 * The plugins a throwaway instance takes from the live assembly: the rules of a message (channels, their
 * providers, policies). Storage, queues and trigger sources are the live instance's own business.
 */
const KEPT: ReadonlySet<PluginKind> = new Set(["channel", "provider", "policy"]);

/**
 * The live instance's channel, provider and policy plugins, registered again in the throwaway instance with
 * their own configuration, so channel rules (addresses, content checks, a Kakao non-friend refused before
 * any call), fallbacks and policies run their real code. What they register is watched: vendor providers
 * become stand-ins that only record (the core's sandbox provider stays, with its `failFor`); a channel that
 * sends by itself instead of through providers gets its `send` replaced by a record. `init` and `close` are
 * not run: they connect to vendors, which a simulation never does.
 */
export function simulationPlugins(live: readonly PluginSpec[]): PluginSpec[] {
  return live.filter((spec) => KEPT.has(spec.plugin.kind)).map((spec) => ({ plugin: watched(spec.plugin), config: spec.config }));
}

function watched(live: NudgePlugin): NudgePlugin {
  return {
    id: live.id,
    kind: live.kind,
    ...(live.channel === undefined ? {} : { channel: live.channel }),
    configSchema: live.configSchema,
    ...(live.requires === undefined ? {} : { requires: live.requires }),
    register(ctx, config) {
      const outbox = ctx.resolve(Tokens.SandboxOutbox);
      const channels: Channel[] = [];
      let providerSets = 0;
      const refuseClass = (token: symbol) => {
        throw new BootError(
          "NUDGE_SIMULATION",
          `plugin "${live.id}" registers its ${tokenInfo(token).name} as a class: simulate() needs channels and providers as instances, to keep them from their vendors`,
          { pluginId: live.id },
        );
      };
      const context: PluginContext = {
        ...ctx,
        registerInstance: (token, value) => {
          if (token === Tokens.Channel) channels.push(value as Channel);
          else if (token === Tokens.Provider) ctx.registerInstance(Tokens.Provider, providerStandIn(value as Provider, outbox, ctx.clock));
          else ctx.registerInstance(token, value);
        },
        registerSingleton: (token, cls) => (token === Tokens.Channel || token === Tokens.Provider ? refuseClass(token) : ctx.registerSingleton(token, cls)),
        providers: (kind, ids) => {
          providerSets++;
          return ctx.providers(kind, ids);
        },
      };
      live.register(context, config);
      // A channel reaching its vendor through providers runs as it is (its providers are stand-ins).
      for (const channel of channels) ctx.registerInstance(Tokens.Channel, providerSets > 0 ? channel : recording(channel, outbox, ctx.clock));
    },
  };
}

/** A channel that calls its vendor itself: its own address, schema and `prepare`; `send` only records. */
function recording(live: Channel, outbox: SandboxOutbox, clock: Clock): Channel {
  const sandbox = new SandboxProvider(live.id, SandboxProviderConfig.parse({}), outbox, clock);
  return {
    id: live.id,
    providers: live.providers,
    contentSchema: live.contentSchema,
    ...(live.htmlFields ? { htmlFields: live.htmlFields } : {}),
    address: (profile) => live.address(profile),
    ...(live.prepare ? { prepare: (content, context) => live.prepare!(content, context) } : {}),
    send: (message) => sandbox.send({ to: message.to, payload: message.content, context: message.context }),
  };
}
