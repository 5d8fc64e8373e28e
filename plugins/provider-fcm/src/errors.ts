import { z } from "zod";
import type { ChannelError } from "@nudge/core";
import { pushError } from "@nudge/channel-push";

const FcmErrorBody = z.object({
  error: z.object({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z
      .array(
        z.looseObject({
          "@type": z.string().optional(),
          errorCode: z.string().optional(),
          fieldViolations: z.array(z.looseObject({ field: z.string().optional() })).optional(),
        }),
      )
      .optional(),
  }),
});

/**
 * FCM HTTP v1 errors (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode): UNREGISTERED and
 * SENDER_ID_MISMATCH mean the token is useless; INVALID_ARGUMENT is a dead token only when it is about the
 * token (google.rpc.BadRequest names other fields when the payload is wrong); QUOTA_EXCEEDED is a rate
 * limit; UNAVAILABLE and INTERNAL are transient; THIRD_PARTY_AUTH_ERROR is a credentials problem.
 */
export function fcmError(status: number, body: unknown, retryAfterMs: number | undefined, token: string): ChannelError {
  const parsed = FcmErrorBody.safeParse(body);
  const e = parsed.success ? parsed.data.error : {};
  const details = "details" in e ? (e.details ?? []) : [];
  const fcmCode = details.find((d) => d.errorCode)?.errorCode;
  const code = fcmCode ?? ("status" in e && e.status ? e.status : `HTTP_${status}`);
  const message = ("message" in e && e.message) || `FCM answered HTTP ${status}`;
  const fields = details.flatMap((d) => d.fieldViolations ?? []).map((f) => f.field ?? "");
  const error = (kind: Parameters<typeof pushError>[0]) => pushError(kind, { code, message, token, retryAfterMs });

  if (code === "UNREGISTERED" || code === "SENDER_ID_MISMATCH") return error("dead");
  if (code === "INVALID_ARGUMENT") {
    const aboutToken = fields.length > 0 ? fields.every((f) => f === "message.token") : /registration token/i.test(message);
    return error(aboutToken ? "dead" : "rejected");
  }
  if (code === "QUOTA_EXCEEDED" || status === 429) return error("rate_limited");
  if (code === "UNAVAILABLE" || code === "INTERNAL" || code === "UNSPECIFIED_ERROR" || status >= 500) return error("transient");
  return error("rejected");
}
