import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ValidationError, WebhookSignatureError, type WebhookRequest } from "@nudge/core";

/**
 * One entry of a Solapi report webhook: a POST of a JSON array of `{ messageId, groupId, statusCode, statusMessage,
 * to, from, type, dateProcessed, dateReported, dateReceived, networkCode }`, retried up to 5 times on non-200.
 */
const SolapiReport = z.object({
  messageId: z.string(),
  statusCode: z.string(),
  to: z.string().nullish(),
  statusMessage: z.string().nullish(),
  dateReceived: z.string().nullish(),
  dateReported: z.string().nullish(),
  /** The message was replaced by Solapi's SMS/LMS/MMS fallback ("대체 발송 여부", getMessageList.md); `type` is then the text's. */
  replacement: z.boolean().nullish(),
  type: z.string().nullish(),
});

/** A report entry with the time it names, or `now` when it names none. */
export interface SolapiReportEntry {
  messageId: string;
  statusCode: string;
  statusMessage: string | null | undefined;
  /** The recipient's number as Solapi reports it (national digits). */
  to: string | null | undefined;
  /** Solapi resent it as a text (`replacement: true`) of this type (SMS, LMS, MMS). */
  replacement: boolean;
  type: string | null | undefined;
  at: number;
}

/** Constant-time, byte-for-byte comparison. */
function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks and reads a Solapi report webhook, for the SMS and Kakao providers alike.
 *
 * Authenticity: registering a Solapi webhook (`POST /webhook/v1/outgoing`, solapi/documents
 * api-reference/webhook/createOutgoingData.md) takes an optional `secret` that the reference leaves undescribed;
 * no signature header or algorithm is documented, and Solapi's own n8n trigger (solapi/n8n-nodes-solapi
 * nodes/Solapi/SolapiTrigger.node.ts) verifies nothing. So there is nothing to check the body against: the
 * registered URL carries `?token=`, compared here, on top of the router's per-provider secret.
 * `plugin` names the factory whose `webhookToken` is missing, in the error.
 */
export function readSolapiReports(req: WebhookRequest, token: string | undefined, now: number, plugin: string): SolapiReportEntry[] {
  if (!token) throw new WebhookSignatureError("Solapi webhook", "webhookToken", `is not configured on ${plugin}`);
  const got = typeof req.query["token"] === "string" ? req.query["token"] : undefined;
  if (got === undefined || !sameBytes(got, token)) throw new WebhookSignatureError("Solapi webhook", "query.token", got === undefined ? "is missing" : "does not match the configured token");
  let json: unknown;
  try {
    json = JSON.parse(req.rawBody.toString("utf8"));
  } catch {
    throw new ValidationError("Solapi webhook", [{ path: "(body)", message: "is not JSON" }]);
  }
  const parsed = z.array(SolapiReport).safeParse(json);
  if (!parsed.success) throw ValidationError.fromZod("Solapi webhook", parsed.error);
  return parsed.data.map((r) => {
    const at = Date.parse(r.dateReceived ?? r.dateReported ?? "");
    return { messageId: r.messageId, statusCode: r.statusCode, statusMessage: r.statusMessage, to: r.to, replacement: r.replacement === true, type: r.type, at: Number.isFinite(at) ? at : now };
  });
}
