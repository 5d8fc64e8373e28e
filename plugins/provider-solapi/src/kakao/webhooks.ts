import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ValidationError, type DeliveryReport, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { solapiReportStatus } from "../report-status.js";

/** Constant-time, byte-for-byte comparison. */
function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Solapi reports: a JSON array of `{ messageId, statusCode, statusMessage, dateReceived, ... }`, statuses from
 * Solapi's code table (https://developers.solapi.com/references/message-status-codes): 4000 delivered, 2000/3000
 * still on the way, any other code failed, with Solapi's code kept (3102 not a friend, 3104 not a KakaoTalk user ...).
 * A Kakao refusal says nothing about the phone number, so no report invalidates the contact (it stays usable for SMS).
 *
 * Authenticity: registering a Solapi webhook (`POST /webhook/v1/outgoing`, solapi/documents
 * api-reference/webhook/createOutgoingData.md) takes an optional `secret` that the reference leaves undescribed;
 * no signature header or algorithm is documented, and Solapi's own n8n trigger (solapi/n8n-nodes-solapi) verifies
 * nothing. So there is nothing to check the body against: the registered URL carries `?token=`, compared here,
 * on top of the router's per-provider secret.
 */
const SolapiReport = z.object({ messageId: z.string(), statusCode: z.string(), statusMessage: z.string().nullish(), dateReceived: z.string().nullish(), dateReported: z.string().nullish() });

export function parseSolapiKakaoWebhook(req: WebhookRequest, token: string | undefined, now: number): WebhookResult {
  if (!token) throw new ValidationError("Solapi webhook", [{ path: "webhookToken", message: "is not configured on solapiKakao()" }]);
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
    const status = solapiReportStatus(r.statusCode);
    return { providerMessageId: r.messageId, status, providerCode: r.statusCode, ...(status === "failed" && r.statusMessage ? { reason: r.statusMessage } : {}), at: Number.isFinite(at) ? at : now };
  });
  return { reports, contacts: [], response: { status: 200 } };
}
