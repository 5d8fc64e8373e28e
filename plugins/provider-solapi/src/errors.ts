import { ChannelRejectedError, ChannelUnavailableError, RateLimitedError, type ChannelError } from "@nudge/core";

/**
 * Solapi's HTTP errors carry `{ errorCode, errorMessage }` (solapi/solapi-nodejs src/lib/defaultFetcher.ts).
 * Per-message codes (`failedMessageList[].statusCode`) mean different things per channel: the channel plugins map those.
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
