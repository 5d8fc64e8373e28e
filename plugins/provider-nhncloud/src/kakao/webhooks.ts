import { z } from "zod";
import { ValidationError, WebhookSignatureError, type DeliveryReport, type WebhookRequest, type WebhookResult } from "@nudge/core";
import type { NhnCloudKakaoResend } from "./config.js";
import { kakaoReportStatus } from "./errors.js";
import { nhnResendDetails } from "./resend.js";
import { kstToEpoch } from "../shared/kst.js";
import { sameBytes } from "../shared/signature.js";

function header(req: WebhookRequest, name: string): string | undefined {
  const v = req.headers[name] ?? req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * NHN Cloud KakaoTalk Bizmessage webhooks (https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/webhook-api-guide/):
 * `X-Toast-Webhook-Signature` is the signature typed into the webhook settings, a shared secret compared
 * byte for byte (NHN signs nothing over the body, so a tampered body under a correct signature cannot be
 * detected: keep the URL on HTTPS). Event `MESSAGE_RESULT_UPDATE`: hooks[{ requestId, recipientSeq, resultCode, receiveDate }];
 * a hook that carries the message's `resendStatus` (as the message queries name it) also reports NHN's resend.
 */
const NhnBody = z.object({
  hooksId: z.string(),
  event: z.string(),
  hooks: z.array(z.object({ requestId: z.string().optional(), recipientSeq: z.coerce.number().int().optional(), resultCode: z.string().nullish(), receiveDate: z.string().nullish(), resendStatus: z.string().nullish() }).passthrough()),
});

export function parseNhnKakaoWebhook(req: WebhookRequest, signature: string | undefined, now: number, resend: NhnCloudKakaoResend = { enabled: false }): WebhookResult {
  if (!signature) throw new WebhookSignatureError("NHN Cloud webhook", "webhookSignature", "is not configured on nhnCloudKakao()");
  const got = header(req, "x-toast-webhook-signature");
  if (got === undefined || !sameBytes(got, signature)) {
    throw new WebhookSignatureError("NHN Cloud webhook", "headers.x-toast-webhook-signature", got === undefined ? "is missing" : "does not match the configured signature");
  }
  let value: unknown;
  try {
    value = JSON.parse(req.rawBody.toString("utf8"));
  } catch {
    throw new ValidationError("NHN Cloud webhook", [{ path: "(body)", message: "is not JSON" }]);
  }
  const parsed = NhnBody.safeParse(value);
  if (!parsed.success) throw ValidationError.fromZod("NHN Cloud webhook", parsed.error);
  const reports: DeliveryReport[] = [];
  if (parsed.data.event === "MESSAGE_RESULT_UPDATE") {
    for (const h of parsed.data.hooks) {
      if (!h.requestId || h.recipientSeq === undefined) continue;
      const status = kakaoReportStatus(h.resultCode);
      const details = nhnResendDetails(h.resendStatus, resend);
      reports.push({
        providerMessageId: `${h.requestId}:${h.recipientSeq}`,
        status,
        ...(h.resultCode ? { providerCode: h.resultCode } : {}),
        at: h.receiveDate ? kstToEpoch(h.receiveDate, now) : now,
        ...(details ? { details } : {}),
      });
    }
  }
  return { reports, contacts: [], response: { status: 200 } };
}
