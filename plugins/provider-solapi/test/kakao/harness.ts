import { createServer } from "node:net";
import { FakeClock, type Channel, type PluginSpec, type Profile, type WebhookRequest } from "@nudge/core";
import { aProfile, startChannelPlugin, startProviderPlugin } from "@nudge/core/testkit";
import { kakao, type KakaoConfigInput, type KakaoContent, type KakaoPayload } from "@nudge/channel-kakao";
import { solapiKakao, type SolapiKakaoConfigInput } from "../../src/index.js";
import { SOLAPI } from "./solapi-kakao.fake.js";

export const solapiConfig = (baseUrl: string, over: Partial<SolapiKakaoConfigInput> = {}): SolapiKakaoConfigInput => ({
  apiKey: SOLAPI.apiKey,
  apiSecret: SOLAPI.apiSecret,
  pfId: SOLAPI.pfId,
  from: "1588-0000",
  baseUrl,
  webhookToken: SOLAPI.token,
  ...over,
});

/** 10:00 KST, inside Kakao's sending window; the fake checks signatures against the same clock. */
export const defaultNow = Date.parse("2026-03-02T10:00:00+09:00");

/** The provider alone, built by its plugin as createNudge builds it. */
export async function solapiProvider(baseUrl: string, over: Partial<SolapiKakaoConfigInput> = {}, clock = new FakeClock(defaultNow)) {
  return (await startProviderPlugin<KakaoPayload>(solapiKakao(solapiConfig(baseUrl, over)) as PluginSpec, { clock })).provider;
}

/** The kakao channel sending through this provider only, with a registered AlimTalk template. */
export async function kakaoThroughSolapi(baseUrl: string, options: { solapi?: Partial<SolapiKakaoConfigInput>; kakao?: Partial<KakaoConfigInput>; clock?: FakeClock } = {}) {
  const channelSpec = kakao({ providers: ["solapi"], alimtalk: { templates: { ORDER_OK: { variables: ["name", "orderNo"] } } }, ...options.kakao }) as PluginSpec;
  const started = await startChannelPlugin<KakaoContent>(channelSpec, { providers: [solapiKakao(solapiConfig(baseUrl, options.solapi)) as PluginSpec], clock: options.clock ?? new FakeClock(defaultNow) });
  return started.channel as Channel<KakaoContent> & Required<Pick<Channel<KakaoContent>, "poll" | "parseWebhook">>;
}

/** An address where nothing listens (a port just freed): connections are refused, so nothing reached Solapi. */
export async function nowhere(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export function person(phone: string | undefined, channelFriend?: boolean): Profile {
  return aProfile("acme", { userId: "u1", contacts: { ...(phone ? { phone } : {}), ...(channelFriend === undefined ? {} : { kakao: { channelFriend } }) } });
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}, query: Record<string, unknown> = {}): WebhookRequest {
  return { headers: { "content-type": "application/json", ...headers }, rawBody: Buffer.from(JSON.stringify(body)), query };
}

export const TEXT = { kind: "brand" as const, chatBubbleType: "TEXT" as const, content: "봄 신상품이 도착했어요!", buttons: [{ name: "보러 가기", type: "WL" as const, linkMo: "https://shop.example.com/spring" }] };
