import { z } from "zod";
import {
  ChannelError,
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
} from "@nudge/core";

/**
 * How one device's send ended. "dead": the token will never work again (remove it); "rejected": this
 * message or our credentials were refused (no retry); "transient" and "rate_limited": try again later.
 */
export type FailureKind = "dead" | "rejected" | "transient" | "rate_limited";
export type DeviceFailure = { ok: false; kind: FailureKind; code: string; message: string; retryAfterMs?: number };
export type DeviceOutcome = { ok: true; id: string } | DeviceFailure;

export function failure(kind: FailureKind, code: string, message: string, retryAfterMs?: number): DeviceFailure {
  return { ok: false, kind, code, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

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
export function fcmFailure(status: number, body: unknown, retryAfter: number | undefined): DeviceFailure {
  const parsed = FcmErrorBody.safeParse(body);
  const e = parsed.success ? parsed.data.error : {};
  const details = "details" in e ? (e.details ?? []) : [];
  const fcmCode = details.find((d) => d.errorCode)?.errorCode;
  const code = fcmCode ?? ("status" in e && e.status ? e.status : `HTTP_${status}`);
  const message = ("message" in e && e.message) || `FCM answered HTTP ${status}`;
  const fields = details.flatMap((d) => d.fieldViolations ?? []).map((f) => f.field ?? "");

  if (code === "UNREGISTERED" || code === "SENDER_ID_MISMATCH") return failure("dead", code, message);
  if (code === "INVALID_ARGUMENT") {
    const aboutToken = fields.length > 0 ? fields.every((f) => f === "message.token") : /registration token/i.test(message);
    return failure(aboutToken ? "dead" : "rejected", code, message);
  }
  if (code === "QUOTA_EXCEEDED" || status === 429) return failure("rate_limited", code, message, retryAfter);
  if (code === "UNAVAILABLE" || code === "INTERNAL" || code === "UNSPECIFIED_ERROR" || status >= 500) return failure("transient", code, message, retryAfter);
  return failure("rejected", code, message);
}

const APNS_DEAD = new Set(["BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered", "ExpiredToken"]);

/**
 * APNs errors (https://developer.apple.com/documentation/usernotifications/handling-error-responses-from-apns):
 * 410 (Unregistered, ExpiredToken) and the bad-token 400s mean the token is dead; 429 TooManyRequests (and
 * TooManyProviderTokenUpdates) is a rate limit; 500/503 are transient; other 4xx refuse this request.
 */
export function apnsFailure(status: number, reason: string, retryAfter: number | undefined): DeviceFailure {
  const code = reason || `HTTP_${status}`;
  const message = `APNs answered ${status} ${code}`;
  if (status === 410 || APNS_DEAD.has(reason)) return failure("dead", code, message);
  if (status === 429) return failure("rate_limited", code, message, retryAfter);
  if (status >= 500) return failure("transient", code, message, retryAfter);
  return failure("rejected", code, message);
}

/**
 * Web Push (RFC 8030 §5, §8.3): 404 and 410 mean the subscription is gone; 413 the payload is too big;
 * 429 is a rate limit; 5xx transient; other 4xx refuse this request (bad VAPID, bad headers).
 */
export function webPushFailure(status: number, text: string, retryAfter: number | undefined): DeviceFailure {
  const code = `HTTP_${status}`;
  const message = `the push service answered ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
  if (status === 404 || status === 410) return failure("dead", code, message);
  if (status === 429) return failure("rate_limited", code, message, retryAfter);
  if (status >= 500) return failure("transient", code, message, retryAfter);
  return failure("rejected", code, message);
}

/** A thrown error (network, timeout, a core error from a token exchange) as a device failure. */
export function failureFromError(e: unknown): DeviceFailure {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof RateLimitedError) return failure("rate_limited", e.providerCode ?? e.code, message, e.retryAfterMs);
  if (e instanceof RecipientUnreachableError) return failure("dead", e.providerCode ?? e.code, message);
  if (e instanceof ChannelRejectedError) return failure("rejected", e.providerCode ?? e.code, message);
  if (e instanceof ChannelError) return failure("transient", e.providerCode ?? e.code, message);
  const name = e instanceof Error ? (e.name === "TimeoutError" || e.name === "AbortError" ? "TIMEOUT" : ((e as { code?: string }).code ?? "NETWORK")) : "NETWORK";
  return failure("transient", name, message);
}

/**
 * The error for a send no device accepted: retryable when any device may work later (rate limited
 * first, with the longest Retry-After), unreachable when every token is dead, rejected otherwise.
 */
export function noDeviceAccepted(failures: DeviceFailure[], details: Record<string, unknown>, invalidContacts: { key: string; reason: string }[] = []): ChannelError {
  const pick = (kind: FailureKind) => failures.filter((f) => f.kind === kind);
  const summary = failures.map((f) => f.code).join(", ");
  const limited = pick("rate_limited");
  if (limited.length > 0) {
    const waits = limited.map((f) => f.retryAfterMs).filter((w): w is number => w !== undefined);
    return new RateLimitedError(`push rate limited (${summary})`, { providerCode: limited[0]!.code, details, invalidContacts, ...(waits.length ? { retryAfterMs: Math.max(...waits) } : {}) });
  }
  const transient = pick("transient");
  if (transient.length > 0) return new ChannelUnavailableError(`no device accepted the push, some may later (${summary})`, { providerCode: transient[0]!.code, details, invalidContacts });
  if (pick("dead").length === failures.length) return new RecipientUnreachableError(`every push token is dead (${summary})`, { providerCode: failures[0]?.code ?? "NO_DEVICE", details, invalidContacts });
  return new ChannelRejectedError(`the push was refused (${summary})`, { providerCode: pick("rejected")[0]?.code ?? "REJECTED", details, invalidContacts });
}
