import { ValidationError, WebhookSignatureError, type WebhookRequest, type WebhookResult } from "@nudge/core";
import { sameBytes, twilioSignature } from "./signature.js";

function header(req: WebhookRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * A status callback: form-encoded `MessageSid`, `MessageStatus` (queued, sent, delivered, undelivered, failed ...)
 * and `ErrorCode` (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status), signed with
 * `X-Twilio-Signature` over `url`.
 */
export function parseTwilioWebhook(req: WebhookRequest, authToken: string, url: string, now: number): WebhookResult {
  const params = Object.fromEntries(new URLSearchParams(req.rawBody.toString("utf8")));
  const got = header(req, "x-twilio-signature");
  if (got === undefined || !sameBytes(got, twilioSignature(authToken, url, params))) {
    throw new WebhookSignatureError("Twilio webhook", "headers.x-twilio-signature", got === undefined ? "is missing" : "does not match the request");
  }
  const sid = params["MessageSid"];
  const state = params["MessageStatus"];
  if (!sid || !state) throw new ValidationError("Twilio webhook", [{ path: "MessageSid", message: "MessageSid and MessageStatus are required" }]);
  const status = state === "delivered" ? "delivered" : state === "failed" || state === "undelivered" ? "failed" : "sent";
  const code = params["ErrorCode"];
  // 30005 unknown destination, 30006 landline: the number is dead for SMS (30003, a handset off, is not).
  const dead = status === "failed" && (code === "30005" || code === "30006");
  return {
    reports: [{ providerMessageId: sid, status, ...(code ? { providerCode: code } : { providerCode: state }), at: now, ...(dead ? { invalidateContact: true } : {}) }],
    contacts: [],
    response: { status: 200 },
  };
}
