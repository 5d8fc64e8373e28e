import { createHash } from "node:crypto";
import type { ResolvedPush } from "@nudge/channel-push";

/**
 * Headers and JSON payload of one APNs request
 * (https://developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns):
 * apns-push-type "alert" with aps.alert, or "background" (content-available, priority 5) for data only;
 * apns-priority 10 (now) or 5 (power-aware); apns-expiration as epoch seconds (0 = deliver once, no
 * storing); apns-collapse-id at most 64 bytes; custom data beside "aps".
 */
export function apnsRequest(c: ResolvedPush, topic: string, idempotencyKey: string, deviceToken: string, nowMs: number): { headers: Record<string, string>; payload: string } {
  const alert = c.title !== undefined || c.body !== undefined;
  const aps: Record<string, unknown> = {};
  if (alert) aps["alert"] = { ...(c.title !== undefined ? { title: c.title } : {}), ...(c.body !== undefined ? { body: c.body } : {}) };
  else aps["content-available"] = 1;
  if (c.badge !== undefined) aps["badge"] = c.badge;
  if (c.sound !== undefined) aps["sound"] = c.sound;
  if (c.threadId !== undefined) aps["thread-id"] = c.threadId;
  if (c.category !== undefined) aps["category"] = c.category;
  if (c.image !== undefined) aps["mutable-content"] = 1; // a Notification Service Extension fetches the image

  const headers: Record<string, string> = {
    "apns-topic": topic,
    "apns-push-type": alert ? "alert" : "background",
    "apns-priority": alert && c.priority === "high" ? "10" : "5",
    "apns-id": uuidFrom(`${idempotencyKey}|${deviceToken}`),
  };
  if (c.ttlSeconds !== undefined) headers["apns-expiration"] = String(c.ttlSeconds === 0 ? 0 : Math.floor(nowMs / 1000) + c.ttlSeconds);
  if (c.collapseKey !== undefined) headers["apns-collapse-id"] = c.collapseKey;

  const payload = { ...c.data, ...(c.link !== undefined ? { link: c.link } : {}), ...(c.image !== undefined ? { image: c.image } : {}), aps };
  return { headers, payload: JSON.stringify(payload) };
}

/**
 * A canonical UUID derived from the key: a retry of a notification carries the same apns-id, so the two can be
 * matched in Apple's answers and logs. APNs documents no dedupe by apns-id, so this is not an idempotency key.
 */
function uuidFrom(key: string): string {
  const h = createHash("sha256").update(key).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
