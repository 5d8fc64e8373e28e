import { definePlugin, SandboxProvider, Tokens, type Channel } from "@nudge/core";
import { KakaoConfig } from "./config.js";
import { Friendtalk } from "./content/friendtalk.js";
import { KakaoContent } from "./content/kakao-content.js";
import { KakaoChannel } from "./kakao.channel.js";
import { NhnCloudKakaoProvider } from "./providers/nhncloud.provider.js";
import type { KakaoProvider } from "./providers/provider.js";
import { SolapiKakaoProvider } from "./providers/solapi.provider.js";
import { SendingWindowClock } from "./sending-window.js";
import { KakaoSendingWindowPolicy } from "./sending-window.policy.js";

/**
 * `kakao({ provider, sendingWindow?, targeting?, prices?, resend?, alimtalk? })`: registers the `kakao` channel
 * (Brand Message, legacy Friendtalk, AlimTalk), the `kakao-friendtalk` channel, and the sending-window policy.
 */
export const kakao = definePlugin({
  id: "channel-kakao",
  kind: "channel",
  configSchema: KakaoConfig,
  register(ctx, config) {
    const window = new SendingWindowClock(config.sendingWindow);
    const deps = { clock: ctx.clock, timeoutMs: config.timeoutMs, nextOpen: (at: number) => window.nextOpen(at) };
    const p = config.provider;
    const provider: KakaoProvider | null = p.type === "nhncloud" ? new NhnCloudKakaoProvider(p, deps) : p.type === "solapi" ? new SolapiKakaoProvider(p, deps) : null;
    const ids = config.friendtalkChannel ? [config.id, "kakao-friendtalk"] : [config.id];
    for (const id of ids) {
      const brandOnly = id === "kakao-friendtalk";
      const sandbox = p.type === "sandbox" ? new SandboxProvider(id, { ...p, provider: "sandbox" }, ctx.resolve(Tokens.SandboxOutbox), ctx.clock) : null;
      const channel = new KakaoChannel(config, { id, brandOnly, contentSchema: brandOnly ? Friendtalk : KakaoContent }, { provider, sandbox, logger: ctx.logger });
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    }
    ctx.registerInstance(Tokens.Policy, new KakaoSendingWindowPolicy(new Set(ids), window));
  },
});

export { KakaoChannel } from "./kakao.channel.js";
export { KakaoConfig, type KakaoConfigInput } from "./config.js";
export { KakaoContent } from "./content/kakao-content.js";
export { BrandMessage, BRAND_MESSAGE_LIMITS } from "./content/brand-message.js";
export { Friendtalk, friendtalkToBrandMessage } from "./content/friendtalk.js";
export { AlimTalk, alimTalkIssues } from "./content/alimtalk.js";
export { SendingWindowClock } from "./sending-window.js";
export { KakaoSendingWindowPolicy } from "./sending-window.policy.js";
export { adHeader, optOutLine, asAdvertisement } from "./templates.js";
// Re-exported so hosts that imported the Solapi signature from this package keep working.
export { solapiAuthorization, solapiSignature } from "@nudge/provider-solapi";
