import { definePlugin, Tokens, type Provider } from "@nudge/core";
import { NhnCloudKakaoConfig } from "./config.js";
import { NhnCloudKakaoProvider } from "./nhncloud-kakao.provider.js";

/**
 * `nhnCloudKakao({ appKey, secretKey, senderKey, webhookSignature?, resend? })`: the kakao provider "nhncloud"
 * (NHN Cloud KakaoTalk Bizmessage: Brand Message v1.0, AlimTalk v2.3). Name it in the channel's `providers`:
 * `kakao({ providers: ["nhncloud"] })`. See README.md.
 */
export const nhnCloudKakao = definePlugin({
  id: "nhncloud",
  kind: "provider",
  channel: "kakao",
  configSchema: NhnCloudKakaoConfig,
  register(ctx, config) {
    ctx.registerInstance(Tokens.Provider, new NhnCloudKakaoProvider(config, ctx.clock) as Provider);
  },
});

export { NhnCloudKakaoConfig, NhnCloudKakaoResend, type NhnCloudKakaoConfigInput } from "./config.js";
