import { definePlugin, Tokens, type Provider } from "@nudge/core";
import { TwilioSmsConfig } from "./config.js";
import { TwilioSmsProvider } from "./twilio-sms.provider.js";

/**
 * `twilioSms({ accountSid, authToken, from | messagingServiceSid, statusCallbackUrl? })`: the sms provider
 * "twilio" (Twilio Programmable Messaging), for numbers outside Korea:
 * `sms({ senders, providers: ["nhncloud"], international: ["twilio"] })`. See README.md.
 */
export const twilioSms = definePlugin({
  id: "twilio",
  kind: "provider",
  channel: "sms",
  configSchema: TwilioSmsConfig,
  register(ctx, config) {
    ctx.registerInstance(Tokens.Provider, new TwilioSmsProvider(config, ctx.clock) as Provider);
  },
});

export { TwilioSmsConfig, type TwilioSmsConfigInput } from "./config.js";
// Hosts that verify Twilio callbacks themselves (or build test requests) sign the same way.
export { twilioSignature } from "./signature.js";
