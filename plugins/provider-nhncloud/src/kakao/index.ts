import { defineProvider } from "@nudge/core";
import { NhnCloudKakaoConfig } from "./config.js";
import { NhnCloudKakaoProvider } from "./nhncloud-kakao.provider.js";

/**
 * `nhnCloudKakao({ appKey, secretKey, senderKey, webhookSignature?, resend? })`: the kakao provider "nhncloud"
 * (NHN Cloud KakaoTalk Bizmessage: Brand Message v1.0, AlimTalk v2.3). Name it in the channel's `providers`:
 * `kakao({ providers: ["nhncloud"] })`. See README.md.
 */
export const nhnCloudKakao = defineProvider({
  id: "nhncloud",
  channel: "kakao",
  configSchema: NhnCloudKakaoConfig,
  create: (ctx, config) => new NhnCloudKakaoProvider(config, ctx.clock),
});

export { NhnCloudKakaoConfig, NhnCloudKakaoResend, type NhnCloudKakaoConfigInput } from "./config.js";
