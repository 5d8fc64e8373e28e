import { FakeClock, type Profile, type ProviderCall, type SendContext, type WebhookRequest } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin, startProviderPlugin } from "@nudge/core/testkit";
import { sms, type SmsContent, type SmsPayload, type SmsProvider } from "@nudge/channel-sms";
import { solapiSms } from "../../src/index.js";
import { SOLAPI } from "./solapi.fake.js";

export const SENDER = "+8215880000";
export const KOREAN = "+821012345678";

/** One clock for the provider's signatures and the fake's 15-minute check. */
export const clock = new FakeClock("2026-03-02T01:00:00Z");

export function solapiConfig(baseUrl: string) {
  return { apiKey: SOLAPI.apiKey, apiSecret: SOLAPI.apiSecret, baseUrl, webhookToken: SOLAPI.token };
}

/** The provider alone, built through its plugin factory. */
export async function solapiProvider(baseUrl: string): Promise<SmsProvider> {
  return (await startProviderPlugin<SmsPayload>(solapiSms(solapiConfig(baseUrl)), { clock })).provider as SmsProvider;
}

/** The sms channel sending through Solapi only, as a host would assemble it. */
export async function solapiChannel(baseUrl: string) {
  return startChannelPlugin<SmsContent>(sms({ senders: [SENDER, "02-1234-5678"], providers: ["solapi"] }), { providers: [solapiSms(solapiConfig(baseUrl))], clock });
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

/** A Solapi delivery report (an array of one) for `messageId`. */
export function solapiReport(messageId: string, statusCode = "4000", query: Record<string, unknown> = { token: SOLAPI.token }): WebhookRequest {
  return jsonRequest(
    [{ messageId, groupId: "G1", statusCode, statusMessage: `s${statusCode}`, to: "01012345678", from: "15880000", type: "SMS", dateReceived: "2026-03-02T01:00:05.000Z" }],
    {},
    query,
  );
}

export { closedUrl } from "@nudge/core/testkit";
