import { z } from "zod";
import { ValidationError, WebhookSignatureError, type ContactReport, type DeliveryReport, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { e164Number } from "@nudge/channel-sms";
import { NHN_DEAD_NUMBER } from "./errors.js";
import { kstToEpoch } from "../shared/kst.js";
import { sameBytes } from "../shared/signature.js";

function header(req: WebhookRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
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

export function parseNhnSmsWebhook(req: WebhookRequest, signature: string | undefined, now: number): WebhookResult {
  if (!signature) throw new WebhookSignatureError("NHN Cloud webhook", "webhookSignature", "is not configured in nhnCloudSms()");
  const got = header(req, "x-toast-webhook-signature");
  if (got === undefined || !sameBytes(got, signature)) {
    throw new WebhookSignatureError("NHN Cloud webhook", "headers.x-toast-webhook-signature", got === undefined ? "is missing" : "does not match the configured signature");
  }
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString("utf8"));
  } catch {
    throw new ValidationError("NHN Cloud webhook", [{ path: "(body)", message: "is not JSON" }]);
  }
  const parsed = NhnBody.safeParse(json);
  if (!parsed.success) throw ValidationError.fromZod("NHN Cloud webhook", parsed.error);
  const body = parsed.data;
  const reports: DeliveryReport[] = [];
  const contacts: ContactReport[] = [];
  for (const h of body.hooks) {
    if (body.event === "UNSUBSCRIBE" && h.recipientNo) {
      contacts.push({ type: "unsubscribe", address: e164Number(h.recipientNo), reason: "080 opt-out", at: kstToEpoch(h.createdDateTime, now) });
    } else if (body.event === "MESSAGE_RESULT_UPDATE" && h.requestId && h.recipientSeq !== undefined) {
      const status = h.messageStatus === "COMPLETED" ? "delivered" : h.messageStatus === undefined ? "sent" : "failed";
      const code = h.resultCode ?? undefined;
      reports.push({
        providerMessageId: `${h.requestId}:${h.recipientSeq}`,
        status,
        ...(code ? { providerCode: code } : {}),
        ...(status === "failed" ? { reason: h.messageStatus } : {}),
        at: kstToEpoch(h.receiveDate, now),
        ...(status === "failed" && code && NHN_DEAD_NUMBER.has(code) ? { invalidateContact: true } : {}),
      });
    }
  }
  return { reports, contacts, response: { status: 200 } };
}
