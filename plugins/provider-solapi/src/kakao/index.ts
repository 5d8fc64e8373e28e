import { defineProvider } from "@nudge/core";
import { SolapiKakaoConfig } from "./config.js";
import { SolapiKakaoProvider } from "./solapi-kakao.provider.js";

/**
 * `solapiKakao({ apiKey, apiSecret, pfId, webhookToken?, resend? })`: the kakao provider "solapi" (Solapi messages
 * v4: Brand Message as BMS_FREE, AlimTalk as ATA). Name it in the channel's `providers`:
 * `kakao({ providers: ["solapi"] })`. See README.md.
 */
export const solapiKakao = defineProvider({
  id: "solapi",
  channel: "kakao",
  configSchema: SolapiKakaoConfig,
  create: (ctx, config) => new SolapiKakaoProvider(config, ctx.clock),
});

export { SolapiKakaoConfig, SolapiKakaoResend, type SolapiKakaoConfigInput } from "./config.js";
