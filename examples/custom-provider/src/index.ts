import { defineProvider } from "@nudge/core";
import { AligoSmsProvider } from "./aligo-sms.provider.js";
import { AligoSmsConfig } from "./config.js";

/**
 * `aligoSms({ apiKey, userId, baseUrl?, testMode?, timeoutMs? })`: the sms provider "aligo" (알리고 SMS API),
 * written outside Nudge against the vendor's public docs. Name it in the channel's `providers`:
 * `sms({ senders, providers: ["aligo"] })`. See README.md.
 */
export const aligoSms = defineProvider({
  id: "aligo",
  channel: "sms",
  configSchema: AligoSmsConfig,
  create: (ctx, config) => new AligoSmsProvider(config, ctx.clock),
});

export { AligoSmsConfig, type AligoSmsConfigInput } from "./config.js";
