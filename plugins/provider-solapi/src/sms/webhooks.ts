import type { ContactReport, DeliveryReport, WebhookRequest, WebhookResult } from "@nudge/core";
import { e164Number } from "@nudge/channel-sms";
import { readSolapiReports } from "../report-webhook.js";
import { solapiReportStatus } from "../report-status.js";
import { SOLAPI_DEAD_NUMBER, SOLAPI_OPT_OUT } from "../status-codes.js";

/** A Solapi status as an SMS delivery report (shared by webhooks and polling). */
export function solapiSmsReport(messageId: string, statusCode: string, statusMessage: string | null | undefined, at: number): DeliveryReport {
  const status = solapiReportStatus(statusCode);
  const dead = status === "failed" && SOLAPI_DEAD_NUMBER.has(statusCode);
  return { providerMessageId: messageId, status, providerCode: statusCode, ...(status === "failed" && statusMessage ? { reason: statusMessage } : {}), at, ...(dead ? { invalidateContact: true } : {}) };
}

/**
 * Solapi delivery reports: POSTs of a JSON array of `{ messageId, groupId, statusCode, statusMessage, to,
 * from, type, dateProcessed, dateReported, dateReceived, networkCode }`, retried up to 5 times on non-200
 * (KOREA-CHANNELS.md). Status codes follow Solapi's table (https://developers.solapi.com/references/message-status-codes):
 * 4000 delivered, 2000/3000 on the way, others failed; 3010 (malformed number) and 3032 (not a subscriber) mark
 * the number dead; 1061/2061 (the person opted out through the 080 number) also unsubscribe the person from the
 * channel, the contact report NHN Cloud's UNSUBSCRIBE webhook produces.
 * The token check and body reading are shared with the Kakao provider (report-webhook.ts).
 */
export function parseSolapiSmsWebhook(req: WebhookRequest, token: string | undefined, now: number): WebhookResult {
  const entries = readSolapiReports(req, token, now, "solapiSms()");
  const reports = entries.map((r) => solapiSmsReport(r.messageId, r.statusCode, r.statusMessage, r.at));
  const contacts: ContactReport[] = entries
    .filter((r) => SOLAPI_OPT_OUT.has(r.statusCode) && r.to)
    .map((r) => ({ type: "unsubscribe", address: e164Number(r.to!), reason: `080 opt-out (Solapi ${r.statusCode})`, at: r.at }));
  return { reports, contacts, response: { status: 200 } };
}
