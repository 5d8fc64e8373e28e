import type { ChannelError } from "@nudge/core";
import { pushError } from "@nudge/channel-push";

/**
 * Web Push (RFC 8030 §5, §8.3): 404 and 410 mean the subscription is gone; 413 the payload is too big;
 * 429 is a rate limit; 5xx transient; other 4xx refuse this request (bad VAPID, bad headers).
 */
export function webPushError(status: number, text: string, retryAfterMs: number | undefined, endpoint: string): ChannelError {
  const a = { code: `HTTP_${status}`, message: `the push service answered ${status}${text ? `: ${text.slice(0, 200)}` : ""}`, token: endpoint, retryAfterMs };
  if (status === 404 || status === 410) return pushError("dead", a);
  if (status === 429) return pushError("rate_limited", a);
  if (status >= 500) return pushError("transient", a);
  return pushError("rejected", a);
}
