import type { Channel, PluginSpec, Profile, WebhookRequest } from "@nudge/core";
import { aProfile, startChannelPlugin, type StartChannelPluginOptions } from "@nudge/core/testkit";
import { kakao, type KakaoConfigInput } from "../src/index.js";
import type { Friendtalk } from "../src/content/friendtalk.js";
import type { KakaoContent } from "../src/content/kakao-content.js";

export type KakaoChannelUnderTest = Channel<KakaoContent | Friendtalk> & { prepare(content: KakaoContent | Friendtalk): { messageType?: string; cost?: unknown } };

/**
 * The kakao plugin started as createNudge starts it (config parsed, providers bound), with a registered AlimTalk
 * template. `id: "kakao-friendtalk"` with `friendtalkChannel: false` gives the Friendtalk channel alone.
 */
export async function startKakao(input: Partial<KakaoConfigInput> = {}, options: StartChannelPluginOptions & { providers?: PluginSpec[] } = {}) {
  const spec = kakao({ alimtalk: { templates: { ORDER_OK: { variables: ["name", "orderNo"] } } }, ...input });
  const started = await startChannelPlugin<KakaoContent | Friendtalk>(spec as PluginSpec, options);
  return { ...started, channel: started.channel as KakaoChannelUnderTest };
}

export function person(phone: string | undefined, channelFriend?: boolean): Profile {
  return aProfile("acme", { userId: "u1", contacts: { ...(phone ? { phone } : {}), ...(channelFriend === undefined ? {} : { kakao: { channelFriend } }) } });
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}, query: Record<string, unknown> = {}): WebhookRequest {
  return { headers: { "content-type": "application/json", ...headers }, rawBody: Buffer.from(JSON.stringify(body)), query };
}

export const TEXT = { kind: "brand" as const, chatBubbleType: "TEXT" as const, content: "봄 신상품이 도착했어요!", buttons: [{ name: "보러 가기", type: "WL" as const, linkMo: "https://shop.example.com/spring" }] };
