import { definePlugin, Tokens, type Provider } from "@nudge/core";
import { NhnCloudSmsConfig } from "./config.js";
import { NhnCloudSmsProvider } from "./nhncloud-sms.provider.js";

/**
 * `nhnCloudSms({ appKey, secretKey, webhookSignature? })`: the sms provider "nhncloud" (NHN Cloud SMS API
 * v3.0). Name it in the channel's `providers`: `sms({ senders, providers: ["nhncloud"] })`. See README.md.
 */
export const nhnCloudSms = definePlugin({
  id: "nhncloud",
  kind: "provider",
  channel: "sms",
  configSchema: NhnCloudSmsConfig,
  register(ctx, config) {
    ctx.registerInstance(Tokens.Provider, new NhnCloudSmsProvider(config, ctx.clock) as Provider);
  },
});

export { NhnCloudSmsConfig, type NhnCloudSmsConfigInput } from "./config.js";
