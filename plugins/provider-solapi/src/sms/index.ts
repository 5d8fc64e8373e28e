import { definePlugin, Tokens, type Provider } from "@nudge/core";
import { SolapiSmsConfig } from "./config.js";
import { SolapiSmsProvider } from "./solapi-sms.provider.js";

/**
 * `solapiSms({ apiKey, apiSecret, webhookToken? })`: the sms provider "solapi" (Solapi messages v4). Name it in
 * the channel's `providers`: `sms({ senders, providers: ["solapi"] })`. See README.md.
 */
export const solapiSms = definePlugin({
  id: "solapi",
  kind: "provider",
  channel: "sms",
  configSchema: SolapiSmsConfig,
  register(ctx, config) {
    ctx.registerInstance(Tokens.Provider, new SolapiSmsProvider(config, ctx.clock) as Provider);
  },
});

export { SolapiSmsConfig, type SolapiSmsConfigInput } from "./config.js";
