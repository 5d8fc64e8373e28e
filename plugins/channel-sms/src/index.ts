import { definePlugin, Tokens, type Channel } from "@nudge/core";
import { SmsConfig } from "./config.js";
import type { SmsProvider } from "./provider.js";
import { SmsChannel } from "./sms.channel.js";

/** The provider kind of this channel: sms provider plugins declare `channel: "sms"`. */
export const SMS_CHANNEL_KIND = "sms";

/**
 * `sms({ senders, providers, international? })`: registers the `sms` channel (SMS / LMS / MMS to Korean numbers,
 * plain SMS elsewhere), sent through provider plugins named by id in failover order. See README.md.
 */
export const sms = definePlugin({
  id: "channel-sms",
  kind: "channel",
  configSchema: SmsConfig,
  register(ctx, config) {
    const korean = ctx.providers<SmsProvider>(SMS_CHANNEL_KIND, config.providers);
    const international = config.international.length > 0 ? ctx.providers<SmsProvider>(SMS_CHANNEL_KIND, config.international) : null;
    const channel = new SmsChannel(config, { korean, international }, ctx.logger);
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});

export { SmsChannel } from "./sms.channel.js";
export { SmsConfig, type SmsConfigInput } from "./config.js";
export { SmsContent, MmsImage, type SmsType } from "./content.js";
// The provider contract of this channel kind: what provider plugins implement and receive.
export type { SmsPayload, SmsProvider, SmsMessageType, MmsImageLimits, SmsSendDetails } from "./provider.js";
export { parsePhone, isKorean, nationalNumber, e164Number, type PhoneNumber } from "./phone.js";
export { adHeader, optOutLine, asAdvertisement, adFormatProblems, AD_LABEL } from "./templates.js";
export { eucKrByteLength, unencodableCharacters, type SmsEncoding } from "./encoding.js";
export { checkMmsImage, type MmsImageFile } from "./mms-image-check.js";
export { planKoreanMessage, LIMITS } from "./message-plan.js";
export { SenderNumberRegistry } from "./senders.js";
