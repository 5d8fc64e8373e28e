import { SandboxOutbox, SystemClock, silentLogger, type Clock, type Profile, type WebhookRequest } from "@nudge/core";
import { aProfile } from "@nudge/core/testkit";
import { SmsConfig, type SmsConfigInput } from "../src/config.js";
import { SmsChannel } from "../src/sms.channel.js";
import { twilioSignature } from "../src/webhooks.js";
import { NHN } from "./nhn-sms.fake.js";
import { SOLAPI } from "./solapi.fake.js";
import { TWILIO } from "./twilio.fake.js";

export const SENDER = "+8215880000";

export function smsChannel(input: Partial<SmsConfigInput> & Pick<SmsConfigInput, "provider">, clock: Clock = new SystemClock()) {
  const config = SmsConfig.parse({ senders: [SENDER, "02-1234-5678"], ...input });
  return new SmsChannel(config, { clock, logger: silentLogger(), outbox: new SandboxOutbox() });
}

export function nhnConfig(baseUrl: string) {
  return { type: "nhncloud" as const, appKey: NHN.appKey, secretKey: NHN.secretKey, baseUrl, webhookSignature: NHN.signature };
}

export function solapiConfig(baseUrl: string) {
  return { type: "solapi" as const, apiKey: SOLAPI.apiKey, apiSecret: SOLAPI.apiSecret, baseUrl, webhookToken: SOLAPI.token };
}

export function twilioConfig(baseUrl: string) {
  return { accountSid: TWILIO.accountSid, authToken: TWILIO.authToken, from: TWILIO.from, baseUrl, statusCallbackUrl: TWILIO.callback };
}

export function person(phone: string | undefined, over: Partial<Profile> = {}): Profile {
  return aProfile("acme", { userId: "u1", contacts: phone === undefined ? {} : { phone }, ...over });
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

/** A Twilio status callback, signed as Twilio signs it. */
export function twilioCallback(sid: string, status = "delivered", token = TWILIO.authToken): WebhookRequest {
  const params = { MessageSid: sid, MessageStatus: status, AccountSid: TWILIO.accountSid, To: "+14155550100" };
  return {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilioSignature(token, TWILIO.callback, params) },
    rawBody: Buffer.from(new URLSearchParams(params).toString()),
    query: {},
  };
}
