import { definePlugin, Tokens, type PluginContext, type Provider } from "@nudge/core";
import { PUSH } from "@nudge/channel-push";
import { FcmConfig } from "./config.js";
import { FcmProvider } from "./fcm.provider.js";

const providers = new WeakMap<PluginContext, FcmProvider>();

/**
 * The FCM provider plugin: `fcm({ serviceAccount })`, used by the push channel when its `providers` list
 * "fcm". Imports the service account's key in `init`, so a bad key fails `nudge.start()`.
 */
export const fcm = definePlugin({
  id: "fcm",
  kind: "provider",
  channel: PUSH,
  configSchema: FcmConfig,
  register(ctx, config) {
    const provider = new FcmProvider(config, ctx.clock, ctx.logger);
    providers.set(ctx, provider);
    ctx.registerInstance(Tokens.Provider, provider as Provider);
  },
  async init(ctx) {
    await providers.get(ctx)?.init();
  },
});

export { FcmConfig, ServiceAccount, type FcmConfigInput } from "./config.js";
