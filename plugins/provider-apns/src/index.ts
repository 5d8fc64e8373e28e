import { defineProvider } from "@nudge/core";
import { PUSH } from "@nudge/channel-push";
import { ApnsConfig } from "./config.js";
import { ApnsProvider } from "./apns.provider.js";

/**
 * The APNs provider plugin: `apns({ teamId, keyId, privateKey, topic })`, used by the push channel when its
 * `providers` list "apns". Imports the .p8 key in `init` (a bad key fails `nudge.start()`); the HTTP/2
 * session opens on the first send and closes in `close`.
 */
export const apns = defineProvider({
  id: "apns",
  channel: PUSH,
  configSchema: ApnsConfig,
  create: (ctx, config) => new ApnsProvider(config, ctx.clock, ctx.logger),
});

export { ApnsConfig, type ApnsConfigInput } from "./config.js";
