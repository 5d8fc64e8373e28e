import { defineProvider } from "@nudge/core";
import { NhnCloudSmsConfig } from "./config.js";
import { NhnCloudSmsProvider } from "./nhncloud-sms.provider.js";

/**
 * `nhnCloudSms({ appKey, secretKey, webhookSignature? })`: the sms provider "nhncloud" (NHN Cloud SMS API
 * v3.0). Name it in the channel's `providers`: `sms({ senders, providers: ["nhncloud"] })`. See README.md.
 */
export const nhnCloudSms = defineProvider({
  id: "nhncloud",
  channel: "sms",
  configSchema: NhnCloudSmsConfig,
  create: (ctx, config) => new NhnCloudSmsProvider(config, ctx.clock),
});

export { NhnCloudSmsConfig, type NhnCloudSmsConfigInput } from "./config.js";
export { uploadNhnMmsImage, NHN_MMS_IMAGES } from "./upload.js";
