import { ChannelRejectedError, RateLimitedError, RecipientUnreachableError, type ChannelError } from "@nudge/core";

/**
 * Twilio REST errors `{ code, message, more_info, status }` (https://www.twilio.com/docs/api/errors).
 * 21211 invalid 'To', 21614 not a mobile number, 21610 recipient replied STOP, 21612 unreachable 'To',
 * 20429 too many requests; everything else (21408 region not enabled, 20003 authentication ...) is permanent.
 * HTTP 429 and 5xx never get here: vendorRequest maps them first.
 */
const TWILIO_UNREACHABLE = new Set([21211, 21614, 21610, 21612]);

export function twilioError(status: number, code: number | undefined, message: string): ChannelError {
  const providerCode = code === undefined ? `HTTP_${status}` : String(code);
  const text = `Twilio ${providerCode}: ${message}`;
  if (code === 20429) return new RateLimitedError(text, { providerCode });
  if (code !== undefined && TWILIO_UNREACHABLE.has(code)) return new RecipientUnreachableError(text, { providerCode });
  return new ChannelRejectedError(text, { providerCode });
}
