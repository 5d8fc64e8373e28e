import { ChannelRejectedError, RecipientUnreachableError, ValidationError, type ChannelError } from "@nudge/core";
import type { z } from "zod";

/**
 * Aligo answers HTTP 200 with `result_code`: 1 is success, a negative code an error
 * (https://smartsms.aligo.in/admin/api/spec.html and https://smartsms.aligo.in/admin/api/status.html,
 * "Response Return Code"). The pages document no code that heals by retrying, so every error code is a
 * permanent refusal; the code is kept for people to read. Public clients name a few of them (-101 key or
 * account, -103 sender number, -201 balance): all are fixed in the console, not by a retry.
 * Transient failures reach us as HTTP 5xx or a network error, and a throttle as HTTP 429 (undocumented by
 * Aligo; what a gateway in front would send): `vendorRequest` maps those.
 */
export function aligoError(code: number, message: string | null | undefined): ChannelError {
  return new ChannelRejectedError(`Aligo ${code}: ${message ?? ""}`.trim(), { providerCode: String(code) });
}

/**
 * `result_code` 1 with `success_cnt` 0 and `error_cnt` ≥ 1: the request was valid but its only recipient was
 * counted as an error (요청실패건수), which for a one-number request means that number was refused.
 */
export function recipientRefused(message: string | null | undefined): RecipientUnreachableError {
  return new RecipientUnreachableError(`Aligo counted the recipient as an error (error_cnt 1): ${message ?? ""}`.trim(), { providerCode: "ERROR_CNT" });
}

/** A body that is not the documented answer (an HTML error page, a proxy's answer ...). */
export function unexpectedAnswer(status: number, error: z.ZodError): ChannelRejectedError {
  const v = ValidationError.fromZod("Aligo answer", error);
  return new ChannelRejectedError(`Aligo answered HTTP ${status} with an unexpected body: ${v.message}`, { providerCode: `HTTP_${status}` });
}
