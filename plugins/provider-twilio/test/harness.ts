import type { Profile, ProviderCall, SendContext, WebhookRequest } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin, startProviderPlugin } from "@nudge/core/testkit";
import { sms, type SmsContent, type SmsPayload, type SmsProvider } from "@nudge/channel-sms";
import { twilioSignature, twilioSms } from "../src/index.js";
import { TWILIO } from "./twilio.fake.js";

export const US = "+14155550100";

export function twilioConfig(baseUrl: string) {
  return { accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, from: TWILIO.from, baseUrl, statusCallbackUrl: TWILIO.callback };
}

/** The provider alone, built through its plugin factory. */
export async function twilioProvider(baseUrl: string): Promise<SmsProvider> {
  return (await startProviderPlugin<SmsPayload>(twilioSms(twilioConfig(baseUrl)))).provider as SmsProvider;
}

/** The sms channel: Korean numbers to the sandbox, the rest through Twilio. */
export async function twilioChannel(baseUrl: string) {
  return startChannelPlugin<SmsContent>(sms({ senders: ["+8215880000"], providers: ["sandbox"], international: ["twilio"] }), { providers: [twilioSms(twilioConfig(baseUrl))] });
}

export function person(phone: string | undefined): Profile {
  return aProfile("acme", { userId: "u1", contacts: phone === undefined ? {} : { phone } });
}

/** An international SMS as the channel hands it to a provider. */
export function intlCall(ids: Partial<Pick<SendContext, "messageId" | "idempotencyKey">> = {}, payload: Partial<SmsPayload> = {}): ProviderCall<SmsPayload> {
  return {
    to: US,
    payload: { type: "INTL_SMS", text: "Your order has shipped.", ad: false, ...payload },
    messageType: "INTL_SMS",
    context: sendContext(person(US), { channel: "sms", ...ids }),
  };
}

/** A Twilio status callback, signed as Twilio signs it. */
export function twilioCallback(sid: string, status = "delivered", token = TWILIO.authToken, extra: Record<string, string> = {}): WebhookRequest {
  const params = { MessageSid: sid, MessageStatus: status, AccountSid: TWILIO.accountSid, To: US, ...extra };
  return {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(token, TWILIO.callback, params) },
    rawBody: Buffer.from(new URLSearchParams(params).toString()),
    query: {},
  };
}

export { closedUrl } from "@nudge/core/testkit";
