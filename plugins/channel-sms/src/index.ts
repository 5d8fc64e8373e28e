import { definePlugin, Tokens, type Channel } from "@nudge/core";
import { SmsConfig } from "./config.js";
import { SmsChannel } from "./sms.channel.js";

/**
 * `sms({ provider, senders, twilio? })`: registers the `sms` channel (SMS / LMS / MMS in Korea, Twilio
 * elsewhere). See README.md for the configuration table.
 */
export const sms = definePlugin({
  id: "channel-sms",
  kind: "channel",
  configSchema: SmsConfig,
  register(ctx, config) {
    const channel = new SmsChannel(config, { clock: ctx.clock, logger: ctx.logger, outbox: ctx.resolve(Tokens.SandboxOutbox) });
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});

export { SmsChannel } from "./sms.channel.js";
export { SmsConfig, type SmsConfigInput } from "./config.js";
export { SmsContent, MmsImage } from "./content.js";
export { adHeader, optOutLine, asAdvertisement, adFormatProblems, AD_LABEL } from "./templates.js";
export { eucKrByteLength, unencodableCharacters } from "./encoding.js";
export { planKoreanMessage, LIMITS } from "./message-plan.js";
export { SenderNumberRegistry } from "./senders.js";
// Re-exported so hosts that imported the Solapi signature from this package keep working.
export { solapiAuthorization, solapiSignature } from "@nudge/provider-solapi";
export { twilioSignature } from "./webhooks.js";
