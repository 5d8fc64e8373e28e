import { defineProvider } from "@nudge/core";
import { TwilioSmsConfig } from "./config.js";
import { TwilioSmsProvider } from "./twilio-sms.provider.js";

/**
 * `twilioSms({ accountSid, authToken, from | messagingServiceSid, statusCallbackUrl? })`: the sms provider
 * "twilio" (Twilio Programmable Messaging), for numbers outside Korea:
 * `sms({ senders, providers: ["nhncloud"], international: ["twilio"] })`. See README.md.
 */
export const twilioSms = defineProvider({
  id: "twilio",
  channel: "sms",
  configSchema: TwilioSmsConfig,
  create: (ctx, config) => new TwilioSmsProvider(config, ctx.clock),
});

export { TwilioSmsConfig, type TwilioSmsConfigInput } from "./config.js";
// Hosts that verify Twilio callbacks themselves (or build test requests) sign the same way.
export { twilioSignature } from "./signature.js";
