import {
  ChannelError,
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
} from "@nudge/core";

/**
 * How one device's send failed, as push providers classify their vendor's answers. "dead": the token will
 * never work again; "rejected": this message or our credentials were refused; "transient" and
 * "rate_limited": it may work later.
 */
export type FailureKind = "dead" | "rejected" | "transient" | "rate_limited";

/** The key a dead token is invalidated under on the profile (`contacts.invalid`). */
export function pushContactKey(token: string): string {
  return `push:${token}`;
}

/**
 * The core error for a vendor's answer about one device, the same for every push provider: a dead token is
 * RecipientUnreachableError naming it in invalidContacts; a rate limit proves the vendor did not act (`notSent`).
 */
export function pushError(kind: FailureKind, a: { code: string; message: string; token: string; retryAfterMs?: number | undefined; cause?: unknown }): ChannelError {
  const base = { providerCode: a.code, ...(a.cause === undefined ? {} : { cause: a.cause }) };
  switch (kind) {
    case "dead":
      return new RecipientUnreachableError(a.message, { ...base, invalidContacts: [{ key: pushContactKey(a.token), reason: a.code }] });
    case "rejected":
      return new ChannelRejectedError(a.message, base);
    case "rate_limited":
      return new RateLimitedError(a.message, { ...base, notSent: true, ...(a.retryAfterMs === undefined ? {} : { retryAfterMs: a.retryAfterMs }) });
    case "transient":
      return new ChannelUnavailableError(a.message, base);
  }
}

/** Errors raised before a single byte reached the vendor: the call was certainly not acted on. */
const NOT_REACHED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * A thrown transport error (fetch, HTTP/2) as a core error: a ChannelError (from a token exchange) as is; a
 * connection that never opened is `notSent`; a timeout or a reset is transient with an unknown outcome.
 */
export function transportError(e: unknown, vendor: string): ChannelError {
  if (e instanceof ChannelError) return e;
  const message = e instanceof Error ? e.message : String(e);
  const name = e instanceof Error ? e.name : "";
  if (name === "TimeoutError" || name === "AbortError") return new ChannelUnavailableError(`${vendor} did not answer in time: ${message}`, { providerCode: "TIMEOUT", cause: e });
  // fetch (undici) and node:http2 both wrap the socket error: `{ cause: { code } }`.
  const code = errorCode((e as { cause?: unknown } | null)?.cause) ?? errorCode(e);
  const notSent = code !== undefined && NOT_REACHED.has(code);
  return new ChannelUnavailableError(`request to ${vendor} failed: ${message}`, { providerCode: code ?? "NETWORK", cause: e, ...(notSent ? { notSent } : {}) });
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Retry-After as delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
