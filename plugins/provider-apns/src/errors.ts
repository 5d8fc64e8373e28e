import type { ChannelError } from "@nudge/core";
import { pushError } from "@nudge/channel-push";

const DEAD = new Set(["BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered", "ExpiredToken"]);

/**
 * APNs errors (https://developer.apple.com/documentation/usernotifications/handling-error-responses-from-apns):
 * 410 (Unregistered, ExpiredToken) and the bad-token 400s mean the token is dead; 429 TooManyRequests (and
 * TooManyProviderTokenUpdates) is a rate limit; 500/503 are transient; other 4xx refuse this request.
 */
export function apnsError(status: number, reason: string, retryAfterMs: number | undefined, token: string): ChannelError {
  const code = reason || `HTTP_${status}`;
  const a = { code, message: `APNs answered ${status} ${code}`, token, retryAfterMs };
  if (status === 410 || DEAD.has(reason)) return pushError("dead", a);
  if (status === 429) return pushError("rate_limited", a);
  if (status >= 500) return pushError("transient", a);
  return pushError("rejected", a);
}
