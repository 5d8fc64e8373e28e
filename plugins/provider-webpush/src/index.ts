import { defineProvider } from "@nudge/core";
import { PUSH } from "@nudge/channel-push";
import { WebPushConfig } from "./config.js";
import { WebPushProvider } from "./webpush.provider.js";

/**
 * The Web Push provider plugin: `webPush({ vapid })`, used by the push channel when its `providers` list
 * "webpush". Checks the VAPID keys in `init`, so bad keys fail `nudge.start()`.
 */
export const webPush = defineProvider({
  id: "webpush",
  channel: PUSH,
  configSchema: WebPushConfig,
  create: (ctx, config) => new WebPushProvider(config, ctx.clock, ctx.logger),
});

export { WebPushConfig, type WebPushConfigInput } from "./config.js";
