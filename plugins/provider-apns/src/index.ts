import { definePlugin, Tokens, type PluginContext, type Provider } from "@nudge/core";
import { PUSH } from "@nudge/channel-push";
import { ApnsConfig } from "./config.js";
import { ApnsProvider } from "./apns.provider.js";

const providers = new WeakMap<PluginContext, ApnsProvider>();

/**
 * The APNs provider plugin: `apns({ teamId, keyId, privateKey, topic })`, used by the push channel when its
 * `providers` list "apns". Imports the .p8 key in `init` (a bad key fails `nudge.start()`); the HTTP/2
 * session opens on the first send and closes in `close`.
 */
export const apns = definePlugin({
  id: "apns",
  kind: "provider",
  channel: PUSH,
  configSchema: ApnsConfig,
  register(ctx, config) {
    const provider = new ApnsProvider(config, ctx.clock, ctx.logger);
    providers.set(ctx, provider);
    ctx.registerInstance(Tokens.Provider, provider as Provider);
  },
  async init(ctx) {
    await providers.get(ctx)?.init();
  },
  async close(ctx) {
    await providers.get(ctx)?.close();
  },
});

export { ApnsConfig, type ApnsConfigInput } from "./config.js";
