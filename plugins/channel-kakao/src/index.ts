import { definePlugin, Tokens, type Channel } from "@nudge/core";
import { KakaoConfig } from "./config.js";
import { Friendtalk } from "./content/friendtalk.js";
import { KakaoContent } from "./content/kakao-content.js";
import { KakaoChannel } from "./kakao.channel.js";
import { KAKAO_CHANNEL_KIND, type KakaoProvider } from "./provider.js";
import { SendingWindowClock } from "./sending-window.js";
import { KakaoSendingWindowPolicy } from "./sending-window.policy.js";

const FRIENDTALK_ID = "kakao-friendtalk";

/**
 * `kakao({ providers, sendingWindow?, targeting?, prices?, alimtalk? })`: registers the `kakao` channel (Brand
 * Message, legacy Friendtalk, AlimTalk), the `kakao-friendtalk` channel, and the sending-window policy. Both
 * channels send through the same providers, named by id in failover order. See README.md.
 */
export const kakao = definePlugin({
  id: "channel-kakao",
  kind: "channel",
  configSchema: KakaoConfig,
  register(ctx, config) {
    const window = new SendingWindowClock(config.sendingWindow);
    const providers = ctx.providers<KakaoProvider>(KAKAO_CHANNEL_KIND, config.providers);
    const ids = [...new Set(config.friendtalkChannel ? [config.id, FRIENDTALK_ID] : [config.id])];
    for (const id of ids) {
      const brandOnly = id === FRIENDTALK_ID;
      // kakao-friendtalk is another name of the kakao channel: one marketing consent for both.
      const aliasOf = brandOnly && ids.length > 1 ? config.id : undefined;
      const options = { id, brandOnly, contentSchema: brandOnly ? Friendtalk : KakaoContent, ...(aliasOf ? { aliasOf } : {}) };
      const channel = new KakaoChannel(config, options, { providers, window, clock: ctx.clock, logger: ctx.logger });
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    }
    ctx.registerInstance(Tokens.Policy, new KakaoSendingWindowPolicy(new Set(ids), window));
  },
});

export { KakaoChannel } from "./kakao.channel.js";
export { KakaoConfig, type KakaoConfigInput } from "./config.js";
export { KakaoContent } from "./content/kakao-content.js";
export { BrandMessage, BRAND_MESSAGE_LIMITS } from "./content/brand-message.js";
export { BUBBLE_TYPES, Targeting, type BubbleType, type Button } from "./content/brand-message-parts.js";
export { Friendtalk, friendtalkToBrandMessage } from "./content/friendtalk.js";
export { AlimTalk, alimTalkIssues } from "./content/alimtalk.js";
export { SendingWindowClock } from "./sending-window.js";
export { KakaoSendingWindowPolicy } from "./sending-window.policy.js";
export { adHeader, optOutLine, asAdvertisement, AD_LABEL } from "./templates.js";
// The provider contract of this channel kind: what provider plugins implement and receive.
export { KAKAO_CHANNEL_KIND, type KakaoProvider, type KakaoPayload, type BrandPayload, type KakaoMessageType, type KakaoResend } from "./provider.js";
export { koreanNational } from "./phone.js";
