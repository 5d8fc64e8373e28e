import { definePlugin, Tokens, type PluginContext, type Provider } from "@nudge/core";
import { PUSH } from "@nudge/channel-push";
import { WebPushConfig } from "./config.js";
import { WebPushProvider } from "./webpush.provider.js";

const providers = new WeakMap<PluginContext, WebPushProvider>();

/**
 * The Web Push provider plugin: `webPush({ vapid })`, used by the push channel when its `providers` list
 * "webpush". Checks the VAPID keys in `init`, so bad keys fail `nudge.start()`.
 */
export const webPush = definePlugin({
  id: "webpush",
  kind: "provider",
  channel: PUSH,
  configSchema: WebPushConfig,
  register(ctx, config) {
    const provider = new WebPushProvider(config, ctx.clock, ctx.logger);
    providers.set(ctx, provider);
    ctx.registerInstance(Tokens.Provider, provider as Provider);
  },
  async init(ctx) {
    await providers.get(ctx)?.init();
  },
});

export { WebPushConfig, type WebPushConfigInput } from "./config.js";
