import {
  ChannelDeferredError,
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
  type ChannelError,
} from "@nudge/core";
import { solapiOutcome } from "./status-codes.js";

/**
 * Solapi's HTTP errors carry `{ errorCode, errorMessage }` (solapi/solapi-nodejs src/lib/defaultFetcher.ts).
 * Per-message codes (`failedMessageList[].statusCode`) come from one table for every message type
 * (status-codes.ts); `solapiMessageError` turns them into core errors for the channels.
 */
const TRANSIENT = new Set(["InternalError", "ServiceUnavailable"]);

export function solapiHttpError(status: number, errorCode: string, message: string): ChannelError {
  const text = `Solapi HTTP ${status} ${errorCode}: ${message}`;
  if (errorCode === "TooManyRequests") return new RateLimitedError(text, { providerCode: errorCode });
  if (TRANSIENT.has(errorCode)) return new ChannelUnavailableError(text, { providerCode: errorCode });
  // RequestTimeTooSkewed means our clock is off: retrying with a fresh signature may pass.
  if (errorCode === "RequestTimeTooSkewed" || errorCode === "DuplicatedSignature") return new ChannelUnavailableError(text, { providerCode: errorCode });
  // InvalidAPIKey, SignatureDoesNotMatch, validation errors: permanent.
  return new ChannelRejectedError(text, { providerCode: errorCode });
}

/**
 * A per-message status code refused at send time, as a core error (outcomes in status-codes.ts). `nextOpen`
 * gives the time a deferred message may go (Kakao's sending window); without it a deferral carries no time.
 */
export function solapiMessageError(statusCode: string, message: string, options: { vendor?: string; nextOpen?: () => number } = {}): ChannelError {
  const text = `${options.vendor ?? "Solapi"} ${statusCode}: ${message}`;
  const providerCode = statusCode;
  switch (solapiOutcome(statusCode)) {
    case "unreachable":
      return new RecipientUnreachableError(text, { providerCode });
    case "deferred":
      return new ChannelDeferredError(text, { providerCode, ...(options.nextOpen ? { notBefore: options.nextOpen() } : {}) });
    case "transient":
      return new ChannelUnavailableError(text, { providerCode });
    default:
      // permanent, and the codes that cannot be a refusal (2000, 3000, 4000) if Solapi ever listed one as failed.
      return new ChannelRejectedError(text, { providerCode });
  }
}
