import { createServer } from "node:net";
import type { Channel, FakeClock, PluginSpec, Profile, WebhookRequest } from "@nudge/core";
import { aProfile, startChannelPlugin, startProviderPlugin } from "@nudge/core/testkit";
import { kakao, type KakaoConfigInput, type KakaoContent, type KakaoPayload } from "@nudge/channel-kakao";
import { nhnCloudKakao, type NhnCloudKakaoConfigInput } from "../../src/index.js";
import { NHN } from "./nhn-kakao.fake.js";

export const nhnConfig = (baseUrl: string, over: Partial<NhnCloudKakaoConfigInput> = {}): NhnCloudKakaoConfigInput => ({
  appKey: NHN.appKey,
  secretKey: NHN.secretKey,
  senderKey: NHN.senderKey,
  baseUrl,
  webhookSignature: NHN.signature,
  ...over,
});

/** An address where nothing listens (a port just freed): connections are refused, so nothing reached NHN. */
export async function nowhere(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The provider alone, built by its plugin as createNudge builds it. */
export async function nhnProvider(baseUrl: string, over: Partial<NhnCloudKakaoConfigInput> = {}) {
  return (await startProviderPlugin<KakaoPayload>(nhnCloudKakao(nhnConfig(baseUrl, over)) as PluginSpec)).provider;
}

/** The kakao channel sending through this provider only, with a registered AlimTalk template. */
export async function kakaoThroughNhn(baseUrl: string, options: { nhn?: Partial<NhnCloudKakaoConfigInput>; kakao?: Partial<KakaoConfigInput>; clock?: FakeClock } = {}) {
  const channelSpec = kakao({ providers: ["nhncloud"], alimtalk: { templates: { ORDER_OK: { variables: ["name", "orderNo"] } } }, ...options.kakao }) as PluginSpec;
  const started = await startChannelPlugin<KakaoContent>(channelSpec, { providers: [nhnCloudKakao(nhnConfig(baseUrl, options.nhn)) as PluginSpec], ...(options.clock ? { clock: options.clock } : {}) });
  return started.channel as Channel<KakaoContent> & Required<Pick<Channel<KakaoContent>, "poll" | "parseWebhook">>;
}

export function person(phone: string | undefined, channelFriend?: boolean): Profile {
  return aProfile("acme", { userId: "u1", contacts: { ...(phone ? { phone } : {}), ...(channelFriend === undefined ? {} : { kakao: { channelFriend } }) } });
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}): WebhookRequest {
  return { headers: { "content-type": "application/json", ...headers }, rawBody: Buffer.from(JSON.stringify(body)), query: {} };
}

/** NHN's MESSAGE_RESULT_UPDATE webhook body for one message (webhook-api-guide). */
export function nhnResultHook(providerMessageId: string, resultCode = "1000") {
  const [requestId, seq] = providerMessageId.split(":");
  return {
    hooksId: "202603021000hooks",
    webhookConfigId: "cfg",
    productName: "KakaoTalk Bizmessage",
    appKey: NHN.appKey,
    event: "MESSAGE_RESULT_UPDATE",
    hooks: [{ kakaoMessageType: "FRIENDTALK_NORMAL", requestId, recipientSeq: Number(seq), requestDate: "2026-03-02 10:00:00", createDate: "2026-03-02 10:00:00", receiveDate: "2026-03-02 10:00:04", recipientNo: "01012345678", resultCode, hookId: "h1" }],
  };
}

export const TEXT = { kind: "brand" as const, chatBubbleType: "TEXT" as const, content: "봄 신상품이 도착했어요!", buttons: [{ name: "보러 가기", type: "WL" as const, linkMo: "https://shop.example.com/spring" }] };
