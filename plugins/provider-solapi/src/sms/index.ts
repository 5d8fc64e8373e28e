import { defineProvider } from "@nudge/core";
import { SolapiSmsConfig } from "./config.js";
import { SolapiSmsProvider } from "./solapi-sms.provider.js";

/**
 * `solapiSms({ apiKey, apiSecret, webhookToken? })`: the sms provider "solapi" (Solapi messages v4). Name it in
 * the channel's `providers`: `sms({ senders, providers: ["solapi"] })`. See README.md.
 */
export const solapiSms = defineProvider({
  id: "solapi",
  channel: "sms",
  configSchema: SolapiSmsConfig,
  create: (ctx, config) => new SolapiSmsProvider(config, ctx.clock),
});

export { SolapiSmsConfig, type SolapiSmsConfigInput } from "./config.js";
