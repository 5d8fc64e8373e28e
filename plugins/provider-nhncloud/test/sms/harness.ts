import type { Profile, ProviderCall, SendContext, WebhookRequest } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin, startProviderPlugin } from "@nudge/core/testkit";
import { sms, type SmsContent, type SmsPayload, type SmsProvider } from "@nudge/channel-sms";
import { nhnCloudSms } from "../../src/index.js";
import { NHN } from "./nhn-sms.fake.js";

export const SENDER = "+8215880000";
export const KOREAN = "+821012345678";

export function nhnConfig(baseUrl: string) {
  return { appKey: NHN.appKey, secretKey: NHN.secretKey, baseUrl, webhookSignature: NHN.signature };
}

/** The provider alone, built through its plugin factory. */
export async function nhnProvider(baseUrl: string): Promise<SmsProvider> {
  return (await startProviderPlugin<SmsPayload>(nhnCloudSms(nhnConfig(baseUrl)))).provider as SmsProvider;
}

/** The sms channel sending through NHN Cloud only, as a host would assemble it. */
export async function nhnChannel(baseUrl: string) {
  return startChannelPlugin<SmsContent>(sms({ senders: [SENDER, "02-1234-5678"], providers: ["nhncloud"] }), { providers: [nhnCloudSms(nhnConfig(baseUrl))] });
}

export function person(phone: string | undefined): Profile {
  return aProfile("acme", { userId: "u1", contacts: phone === undefined ? {} : { phone } });
}

/** A planned SMS as the channel hands it to a provider. */
export function smsCall(ids: Partial<Pick<SendContext, "messageId" | "idempotencyKey">> = {}, payload: Partial<SmsPayload> = {}): ProviderCall<SmsPayload> {
  return {
    to: KOREAN,
    payload: { type: "SMS", from: SENDER, text: "주문하신 상품이 출발했습니다.", ad: false, ...payload },
    messageType: payload.type ?? "SMS",
    context: sendContext(person(KOREAN), { channel: "sms", ...ids }),
  };
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}, query: Record<string, unknown> = {}): WebhookRequest {
  return { headers: { "content-type": "application/json", ...headers }, rawBody: Buffer.from(JSON.stringify(body)), query };
}

/** An NHN MESSAGE_RESULT_UPDATE webhook for `providerMessageId` ("requestId:recipientSeq"). */
export function nhnResultHook(providerMessageId: string, messageStatus = "COMPLETED", resultCode = "1000") {
  const [requestId, seq] = providerMessageId.split(":");
  return {
    hooksId: "20260302100000hooks",
    webhookConfigId: "cfg",
    productName: "SMS",
    appKey: NHN.appKey,
    event: "MESSAGE_RESULT_UPDATE",
    hooks: [{ hookId: "h1", senderType: "NORMAL_SMS", requestId, recipientSeq: Number(seq), requestDate: "2026-03-02T10:00:00", receiveDate: "2026-03-02T10:00:04", sendNo: "15880000", recipientNo: "01012345678", messageStatus, resultCode, messageCount: 1 }],
  };
}

export { closedUrl } from "@nudge/core/testkit";
