import { definePlugin, Tokens, type Provider } from "@nudge/core";
import { AligoSmsProvider } from "./aligo-sms.provider.js";
import { AligoSmsConfig } from "./config.js";

/**
 * `aligoSms({ apiKey, userId, baseUrl?, testMode?, timeoutMs? })`: the sms provider "aligo" (알리고 SMS API),
 * written outside Nudge against the vendor's public docs. Name it in the channel's `providers`:
 * `sms({ senders, providers: ["aligo"] })`. See README.md.
 */
export const aligoSms = definePlugin({
  id: "aligo",
  kind: "provider",
  channel: "sms",
  configSchema: AligoSmsConfig,
  register(ctx, config) {
    ctx.registerInstance(Tokens.Provider, new AligoSmsProvider(config, ctx.clock) as Provider);
  },
});

export { AligoSmsConfig, type AligoSmsConfigInput } from "./config.js";
