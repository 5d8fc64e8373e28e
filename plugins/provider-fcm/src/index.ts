import { defineProvider } from "@nudge/core";
import { PUSH } from "@nudge/channel-push";
import { FcmConfig } from "./config.js";
import { FcmProvider } from "./fcm.provider.js";

/**
 * The FCM provider plugin: `fcm({ serviceAccount })`, used by the push channel when its `providers` list
 * "fcm". Imports the service account's key in `init`, so a bad key fails `nudge.start()`.
 */
export const fcm = defineProvider({
  id: "fcm",
  channel: PUSH,
  configSchema: FcmConfig,
  create: (ctx, config) => new FcmProvider(config, ctx.clock, ctx.logger),
});

export { FcmConfig, ServiceAccount, type FcmConfigInput } from "./config.js";
