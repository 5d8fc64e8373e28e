import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ValidationError, type ContactReport, type DeliveryReport, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { SOLAPI_DEAD_NUMBER, solapiReportStatus } from "@nudge/provider-solapi";
import { NHN_DEAD_NUMBER } from "./errors.js";
import { parsePhone } from "./phone.js";

function header(req: WebhookRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Constant-time comparison of two strings, byte for byte. */
export function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

function json(req: WebhookRequest, what: string): unknown {
  try {
    return JSON.parse(req.rawBody.toString("utf8"));
  } catch {
    throw new ValidationError(what, [{ path: "(body)", message: "is not JSON" }]);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw ValidationError.fromZod(what, r.error);
  return r.data;
}

function toE164(national: string): string {
  return parsePhone(national)?.e164 ?? national;
}

function kst(value: string | null | undefined, fallback: number): number {
  if (!value) return fallback;
  const iso = value.trim().replace(" ", "T");
  const t = Date.parse(/[+-]\d\d:?\d\d$|Z$/.test(iso) ? iso : `${iso}+09:00`);
  return Number.isFinite(t) ? t : fallback;
}

/**
 * NHN Cloud SMS webhooks (https://docs.nhncloud.com/ko/Notification/SMS/ko/webhook/): header
 * `X-Toast-Webhook-Signature` carries the signature typed into the webhook settings (a shared secret,
 * not an HMAC of the body), body `{ hooksId, productName, appKey, event, hooks[] }`. Events used here:
 * `UNSUBSCRIBE` (080 opt-out: recipientNo, unsubscribeNo, createdDateTime) and `MESSAGE_RESULT_UPDATE`
 * (requestId, recipientSeq, messageStatus COMPLETED | FAILED | CANCEL | DUPLICATED | FAILED_AD, resultCode).
 */
const NhnHook = z.object({
  recipientNo: z.string().optional(),
  createdDateTime: z.string().optional(),
  requestId: z.string().optional(),
  recipientSeq: z.coerce.number().int().optional(),
  messageStatus: z.string().optional(),
  resultCode: z.string().nullish(),
  receiveDate: z.string().nullish(),
});
const NhnBody = z.object({ hooksId: z.string(), productName: z.string().optional(), event: z.string(), hooks: z.array(NhnHook) });

export function parseNhnWebhook(req: WebhookRequest, signature: string | undefined, now: number): WebhookResult {
  if (!signature) throw new ValidationError("NHN Cloud webhook", [{ path: "provider.webhookSignature", message: "is not configured" }]);
  const got = header(req, "x-toast-webhook-signature");
  if (got === undefined || !sameBytes(got, signature)) {
    throw new ValidationError("NHN Cloud webhook", [{ path: "headers.x-toast-webhook-signature", message: "does not match the configured signature" }]);
  }
  const body = parse(NhnBody, json(req, "NHN Cloud webhook"), "NHN Cloud webhook");
  const reports: DeliveryReport[] = [];
  const contacts: ContactReport[] = [];
  for (const h of body.hooks) {
    if (body.event === "UNSUBSCRIBE" && h.recipientNo) {
      contacts.push({ type: "unsubscribe", address: toE164(h.recipientNo), reason: "080 opt-out", at: kst(h.createdDateTime, now) });
    } else if (body.event === "MESSAGE_RESULT_UPDATE" && h.requestId && h.recipientSeq !== undefined) {
      const status = h.messageStatus === "COMPLETED" ? "delivered" : h.messageStatus === undefined ? "sent" : "failed";
      const code = h.resultCode ?? undefined;
      reports.push({
        providerMessageId: `${h.requestId}:${h.recipientSeq}`,
        status,
        ...(code ? { providerCode: code } : {}),
        ...(status === "failed" ? { reason: h.messageStatus } : {}),
        at: kst(h.receiveDate, now),
        ...(status === "failed" && code && NHN_DEAD_NUMBER.has(code) ? { invalidateContact: true } : {}),
      });
    }
  }
  return { reports, contacts, response: { status: 200 } };
}

/**
 * Solapi delivery reports: POSTs of a JSON array of `{ messageId, groupId, statusCode, statusMessage, to,
 * from, type, dateProcessed, dateReported, dateReceived, networkCode }`, retried up to 5 times on non-200
 * (KOREA-CHANNELS.md). Status codes follow Solapi's table (https://developers.solapi.com/references/message-status-codes):
 * 4000 delivered, 2000/3000 on the way, others failed; 3010 (malformed number) and 3032 (not a subscriber) mark
 * the number dead.
 *
 * Authenticity: Solapi's webhook API takes an optional `secret` when a webhook is registered
 * (`POST /webhook/v1/outgoing`, solapi/documents api-reference/webhook/createOutgoingData.md), but its reference
 * leaves the field undescribed and documents no signature header or algorithm, and Solapi's own n8n trigger
 * (solapi/n8n-nodes-solapi nodes/Solapi/SolapiTrigger.node.ts) checks nothing on receipt. With no documented
 * scheme to verify, the registered URL carries `?token=` (checked here) next to the router's per-provider secret.
 */
const SolapiReport = z.object({
  messageId: z.string(),
  statusCode: z.string(),
  statusMessage: z.string().nullish(),
  dateReceived: z.string().nullish(),
  dateReported: z.string().nullish(),
});

/** A Solapi status as an SMS delivery report (shared by webhooks and polling). */
export function solapiSmsReport(messageId: string, statusCode: string, statusMessage: string | null | undefined, at: number): DeliveryReport {
  const status = solapiReportStatus(statusCode);
  const dead = status === "failed" && SOLAPI_DEAD_NUMBER.has(statusCode);
  return { providerMessageId: messageId, status, providerCode: statusCode, ...(status === "failed" && statusMessage ? { reason: statusMessage } : {}), at, ...(dead ? { invalidateContact: true } : {}) };
}

export function parseSolapiWebhook(req: WebhookRequest, token: string | undefined, now: number): WebhookResult {
  if (!token) throw new ValidationError("Solapi webhook", [{ path: "provider.webhookToken", message: "is not configured" }]);
  const got = typeof req.query["token"] === "string" ? req.query["token"] : undefined;
  if (got === undefined || !sameBytes(got, token)) throw new ValidationError("Solapi webhook", [{ path: "query.token", message: "does not match the configured token" }]);
  const items = parse(z.array(SolapiReport), json(req, "Solapi webhook"), "Solapi webhook");
  const reports = items.map((r): DeliveryReport => {
    const at = Date.parse(r.dateReceived ?? r.dateReported ?? "");
    return solapiSmsReport(r.messageId, r.statusCode, r.statusMessage, Number.isFinite(at) ? at : now);
  });
  return { reports, contacts: [], response: { status: 200 } };
}

/**
 * Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1 over the full callback URL followed by each POST
 * parameter name and value, sorted by name (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

export function parseTwilioWebhook(req: WebhookRequest, authToken: string, url: string, now: number): WebhookResult {
  const params = Object.fromEntries(new URLSearchParams(req.rawBody.toString("utf8")));
  const got = header(req, "x-twilio-signature");
  if (got === undefined || !sameBytes(got, twilioSignature(authToken, url, params))) {
    throw new ValidationError("Twilio webhook", [{ path: "headers.x-twilio-signature", message: "does not match the request" }]);
  }
  const sid = params["MessageSid"];
  const state = params["MessageStatus"];
  if (!sid || !state) throw new ValidationError("Twilio webhook", [{ path: "MessageSid", message: "MessageSid and MessageStatus are required" }]);
  const status = state === "delivered" ? "delivered" : state === "failed" || state === "undelivered" ? "failed" : "sent";
  const code = params["ErrorCode"];
  // 30003 unreachable handset, 30005 unknown destination, 30006 landline: the number is dead for SMS.
  const dead = status === "failed" && (code === "30005" || code === "30006");
  return {
    reports: [{ providerMessageId: sid, status, ...(code ? { providerCode: code } : { providerCode: state }), at: now, ...(dead ? { invalidateContact: true } : {}) }],
    contacts: [],
    response: { status: 200 },
  };
}
