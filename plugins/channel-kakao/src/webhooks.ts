import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ValidationError, type DeliveryReport, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { solapiReportStatus } from "@nudge/provider-solapi";
import { kakaoReportStatus } from "./errors.js";

/** Constant-time, byte-for-byte comparison. */
export function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/** NHN writes local (KST) times without an offset: "2026-03-02 10:00:04" or "2026-03-02T10:00:04". */
export function kstToEpoch(value: string, fallback: number): number {
  const iso = value.trim().replace(" ", "T").replace(/\.\d+$/, "");
  const withTime = /T/.test(iso) ? iso : `${iso}T00:00:00`;
  const t = Date.parse(/[+-]\d\d:?\d\d$|Z$/.test(withTime) ? withTime : `${withTime}+09:00`);
  return Number.isFinite(t) ? t : fallback;
}

function header(req: WebhookRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function body<T>(req: WebhookRequest, schema: z.ZodType<T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(req.rawBody.toString("utf8"));
  } catch {
    throw new ValidationError(what, [{ path: "(body)", message: "is not JSON" }]);
  }
  const r = schema.safeParse(value);
  if (!r.success) throw ValidationError.fromZod(what, r.error);
  return r.data;
}

/**
 * NHN Cloud KakaoTalk Bizmessage webhooks (https://docs.nhncloud.com/en/Notification/KakaoTalk%20Bizmessage/en/webhook-api-guide/):
 * `X-Toast-Webhook-Signature` is the signature typed into the webhook settings, a shared secret compared
 * byte for byte (NHN signs nothing over the body, so a tampered body under a correct signature cannot be
 * detected: keep the URL on HTTPS). Event `MESSAGE_RESULT_UPDATE`: hooks[{ requestId, recipientSeq, resultCode, receiveDate }].
 */
const NhnBody = z.object({
  hooksId: z.string(),
  event: z.string(),
  hooks: z.array(z.object({ requestId: z.string().optional(), recipientSeq: z.coerce.number().int().optional(), resultCode: z.string().nullish(), receiveDate: z.string().nullish() }).passthrough()),
});

export function parseNhnKakaoWebhook(req: WebhookRequest, signature: string | undefined, now: number): WebhookResult {
  if (!signature) throw new ValidationError("NHN Cloud webhook", [{ path: "provider.webhookSignature", message: "is not configured" }]);
  const got = header(req, "x-toast-webhook-signature");
  if (got === undefined || !sameBytes(got, signature)) throw new ValidationError("NHN Cloud webhook", [{ path: "headers.x-toast-webhook-signature", message: "does not match the configured signature" }]);
  const b = body(req, NhnBody, "NHN Cloud webhook");
  const reports: DeliveryReport[] = [];
  if (b.event === "MESSAGE_RESULT_UPDATE") {
    for (const h of b.hooks) {
      if (!h.requestId || h.recipientSeq === undefined) continue;
      const status = kakaoReportStatus(h.resultCode);
      reports.push({ providerMessageId: `${h.requestId}:${h.recipientSeq}`, status, ...(h.resultCode ? { providerCode: h.resultCode } : {}), at: h.receiveDate ? kstToEpoch(h.receiveDate, now) : now });
    }
  }
  return { reports, contacts: [], response: { status: 200 } };
}

/**
 * Solapi reports: a JSON array of `{ messageId, statusCode, statusMessage, dateReceived, ... }`, statuses from
 * Solapi's code table (https://developers.solapi.com/references/message-status-codes): 4000 delivered, 2000/3000
 * still on the way, any other code failed, with Solapi's code kept (3102 not a friend, 3104 not a KakaoTalk user ...).
 *
 * Authenticity: registering a Solapi webhook (`POST /webhook/v1/outgoing`, solapi/documents
 * api-reference/webhook/createOutgoingData.md) takes an optional `secret` that the reference leaves undescribed;
 * no signature header or algorithm is documented, and Solapi's own n8n trigger (solapi/n8n-nodes-solapi) verifies
 * nothing. So there is nothing to check the body against: the registered URL carries `?token=`, compared here,
 * on top of the router's per-provider secret.
 */
const SolapiReport = z.object({ messageId: z.string(), statusCode: z.string(), statusMessage: z.string().nullish(), dateReceived: z.string().nullish(), dateReported: z.string().nullish() });

export function parseSolapiKakaoWebhook(req: WebhookRequest, token: string | undefined, now: number): WebhookResult {
  if (!token) throw new ValidationError("Solapi webhook", [{ path: "provider.webhookToken", message: "is not configured" }]);
  const got = typeof req.query["token"] === "string" ? req.query["token"] : undefined;
  if (got === undefined || !sameBytes(got, token)) throw new ValidationError("Solapi webhook", [{ path: "query.token", message: "does not match the configured token" }]);
  const reports = body(req, z.array(SolapiReport), "Solapi webhook").map((r): DeliveryReport => {
    const at = Date.parse(r.dateReceived ?? r.dateReported ?? "");
    const status = solapiReportStatus(r.statusCode);
    return { providerMessageId: r.messageId, status, providerCode: r.statusCode, ...(status === "failed" && r.statusMessage ? { reason: r.statusMessage } : {}), at: Number.isFinite(at) ? at : now };
  });
  return { reports, contacts: [], response: { status: 200 } };
}
