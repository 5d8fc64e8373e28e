import { SandboxOutbox, SandboxProvider, SystemClock, silentLogger, type Clock, type Profile, type WebhookRequest } from "@nudge/core";
import { aProfile } from "@nudge/core/testkit";
import { KakaoConfig, type KakaoConfigInput } from "../src/config.js";
import { Friendtalk } from "../src/content/friendtalk.js";
import { KakaoContent } from "../src/content/kakao-content.js";
import { KakaoChannel } from "../src/kakao.channel.js";
import { NhnCloudKakaoProvider } from "../src/providers/nhncloud.provider.js";
import { SolapiKakaoProvider } from "../src/providers/solapi.provider.js";
import { SendingWindowClock } from "../src/sending-window.js";
import { NHN } from "./nhn-kakao.fake.js";
import { SOLAPI } from "./solapi-kakao.fake.js";

/** A kakao channel as the plugin builds it, without a Nudge instance around it. */
export function kakaoChannel(input: Partial<KakaoConfigInput>, options: { id?: string; clock?: Clock } = {}) {
  const config = KakaoConfig.parse({ alimtalk: { templates: { ORDER_OK: { variables: ["name", "orderNo"] } } }, ...input });
  const clock = options.clock ?? new SystemClock();
  const window = new SendingWindowClock(config.sendingWindow);
  const deps = { clock, timeoutMs: 5_000, nextOpen: (at: number) => window.nextOpen(at) };
  const p = config.provider;
  const provider = p.type === "nhncloud" ? new NhnCloudKakaoProvider(p, deps) : p.type === "solapi" ? new SolapiKakaoProvider(p, deps) : null;
  const id = options.id ?? "kakao";
  const brandOnly = id === "kakao-friendtalk";
  const sandbox = p.type === "sandbox" ? new SandboxProvider(id, { ...p, provider: "sandbox" }, new SandboxOutbox(), clock) : null;
  return new KakaoChannel(config, { id, brandOnly, contentSchema: brandOnly ? Friendtalk : KakaoContent }, { provider, sandbox, logger: silentLogger() });
}

export const nhnProvider = (baseUrl: string) => ({ type: "nhncloud" as const, appKey: NHN.appKey, secretKey: NHN.secretKey, senderKey: NHN.senderKey, baseUrl, webhookSignature: NHN.signature });
export const solapiProvider = (baseUrl: string) => ({ type: "solapi" as const, apiKey: SOLAPI.apiKey, apiSecret: SOLAPI.apiSecret, pfId: SOLAPI.pfId, baseUrl, webhookToken: SOLAPI.token });

export function person(phone: string | undefined, channelFriend?: boolean): Profile {
  return aProfile("acme", { userId: "u1", contacts: { ...(phone ? { phone } : {}), ...(channelFriend === undefined ? {} : { kakao: { channelFriend } }) } });
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}, query: Record<string, unknown> = {}): WebhookRequest {
  return { headers: { "content-type": "application/json", ...headers }, rawBody: Buffer.from(JSON.stringify(body)), query };
}

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
