import { ChannelUnavailableError, RateLimitedError } from "../errors.js";

/** A vendor's answer that was neither a rate limit nor a server error: the plugin reads the vendor's own codes in it. */
export interface VendorAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, null for an empty body, or the raw text when the body is not JSON. */
  body: unknown;
}

export interface VendorRequestInit extends RequestInit {
  /** Abort after this long; the default is 15 seconds. */
  timeoutMs?: number;
}

/**
 * One vendor call with the global fetch. Network failures and timeouts are transient; HTTP 429 is a rate
 * limit (Retry-After honoured); the caller maps every other answer through the vendor's own codes.
 */
export async function vendorRequest(url: string, init: VendorRequestInit): Promise<VendorAnswer> {
  const { timeoutMs = 15_000, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(url, { ...rest, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new ChannelUnavailableError(`request to ${new URL(url).host} failed: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
      ...(neverReached(e) ? { notSent: true } : {}),
    });
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    // keep the text: some error pages are HTML
  }
  if (res.status === 429) {
    const retryAfter = Number(res.headers.get("retry-after"));
    throw new RateLimitedError(`rate limited by ${new URL(url).host}`, {
      providerCode: "HTTP_429",
      notSent: true,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    });
  }
  if (res.status >= 500) {
    throw new ChannelUnavailableError(`${new URL(url).host} answered HTTP ${res.status}`, { providerCode: `HTTP_${res.status}` });
  }
  return { status: res.status, headers: res.headers, body };
}

/** Errors raised before a single byte reached the vendor: the call was certainly not acted on. */
const NOT_REACHED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function neverReached(e: unknown): boolean {
  // undici wraps the socket error: `TypeError("fetch failed", { cause: { code } })`.
  const cause = (e as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === "string" && NOT_REACHED.has(cause.code);
}
