import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ValidationError, type DeliveryReport, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { solapiReportStatus } from "../report-status.js";
import { SOLAPI_DEAD_NUMBER } from "../status-codes.js";

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

/** Constant-time comparison of two strings, byte for byte. */
function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseSolapiSmsWebhook(req: WebhookRequest, token: string | undefined, now: number): WebhookResult {
  if (!token) throw new ValidationError("Solapi webhook", [{ path: "webhookToken", message: "is not configured in solapiSms()" }]);
  const got = typeof req.query["token"] === "string" ? req.query["token"] : undefined;
  if (got === undefined || !sameBytes(got, token)) throw new ValidationError("Solapi webhook", [{ path: "query.token", message: "does not match the configured token" }]);
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString("utf8"));
  } catch {
    throw new ValidationError("Solapi webhook", [{ path: "(body)", message: "is not JSON" }]);
  }
  const parsed = z.array(SolapiReport).safeParse(json);
  if (!parsed.success) throw ValidationError.fromZod("Solapi webhook", parsed.error);
  const reports = parsed.data.map((r): DeliveryReport => {
    const at = Date.parse(r.dateReceived ?? r.dateReported ?? "");
    return solapiSmsReport(r.messageId, r.statusCode, r.statusMessage, Number.isFinite(at) ? at : now);
  });
  return { reports, contacts: [], response: { status: 200 } };
}
