import type { DeliveryReport, WebhookRequest, WebhookResult } from "@nudge/core";
import type { KakaoResend } from "@nudge/channel-kakao";
import { readSolapiReports } from "../report-webhook.js";
import { solapiReportStatus } from "../report-status.js";

/**
 * Solapi reports: a JSON array of `{ messageId, statusCode, statusMessage, dateReceived, ... }`, statuses from
 * Solapi's code table (https://developers.solapi.com/references/message-status-codes): 4000 delivered, 2000/3000
 * still on the way, any other code failed, with Solapi's code kept (3102 not a friend, 3104 not a KakaoTalk user ...).
 * A Kakao refusal says nothing about the phone number, so no report invalidates the contact (it stays usable for SMS).
 * The token check and body reading are shared with the SMS provider (report-webhook.ts).
 */
export function parseSolapiKakaoWebhook(req: WebhookRequest, token: string | undefined, now: number): WebhookResult {
  const reports = readSolapiReports(req, token, now, "solapiKakao()").map((r): DeliveryReport => {
    const status = solapiReportStatus(r.statusCode);
    const details = r.replacement ? { resend: solapiResend(r.type, status, r.statusCode) } : undefined;
    return { providerMessageId: r.messageId, status, providerCode: r.statusCode, ...(status === "failed" && r.statusMessage ? { reason: r.statusMessage } : {}), at: r.at, ...(details ? { details } : {}) };
  });
  return { reports, contacts: [], response: { status: 200 } };
}

/**
 * A replaced message (`replacement: true`, solapi/documents api-reference/messages/getMessageList.md "대체 발송 여부"):
 * Solapi reports the fallback text under the Kakao message's id, so its type and status code are the text's.
 */
function solapiResend(type: string | null | undefined, status: DeliveryReport["status"], code: string): KakaoResend {
  const t = type?.toUpperCase();
  const channel = t === "SMS" ? "sms" : t === "LMS" ? "lms" : t === "MMS" ? "mms" : undefined;
  return { ...(channel ? { channel } : {}), status: status === "sent" ? "sending" : status, providerCode: code };
}
