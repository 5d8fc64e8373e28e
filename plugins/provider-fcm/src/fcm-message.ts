import type { PushPayload } from "@nudge/channel-push";

type Json = Record<string, unknown>;

/** Drops undefined fields and empty objects, so the request carries only what was set. */
function compact(o: Json): Json | undefined {
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * The FCM HTTP v1 `message` for one token (https://firebase.google.com/docs/reference/fcm/rest/v1/projects.messages):
 * a notification when there is a title or body, `data` as string pairs (the link rides there as "link"),
 * and the platform block of the device: AndroidConfig (collapse_key, priority, ttl as "<n>s"),
 * ApnsConfig (APNs headers and aps), or WebpushConfig (TTL/Urgency/Topic headers, fcm_options.link).
 */
export function fcmMessage(token: string, c: PushPayload, nowMs: number): Json {
  const data = { ...c.data, ...(c.link !== undefined ? { link: c.link } : {}) };
  const alert = c.title !== undefined || c.body !== undefined;
  const message: Json = {
    token,
    notification: alert ? compact({ title: c.title, body: c.body, image: c.image }) : undefined,
    data: Object.keys(data).length ? data : undefined,
  };
  if (c.platform === "android") {
    message["android"] = compact({
      collapse_key: c.collapseKey,
      priority: c.priority === "high" ? "HIGH" : "NORMAL",
      ttl: c.ttlSeconds === undefined ? undefined : `${c.ttlSeconds}s`,
      notification: alert ? compact({ channel_id: c.channelId, sound: c.sound, tag: c.threadId, notification_count: c.badge }) : undefined,
    });
  } else if (c.platform === "ios") {
    message["apns"] = compact({
      headers: compact({
        "apns-priority": alert ? (c.priority === "high" ? "10" : "5") : "5",
        "apns-collapse-id": c.collapseKey,
        "apns-expiration": c.ttlSeconds === undefined ? undefined : String(c.ttlSeconds === 0 ? 0 : Math.floor(nowMs / 1000) + c.ttlSeconds),
      }),
      payload: {
        aps: compact({
          "thread-id": c.threadId,
          badge: c.badge,
          sound: c.sound,
          category: c.category,
          "mutable-content": c.image !== undefined ? 1 : undefined,
          "content-available": alert ? undefined : 1,
        }) ?? {},
      },
      fcm_options: c.image !== undefined ? { image: c.image } : undefined,
    });
  } else {
    message["webpush"] = compact({
      headers: compact({
        TTL: c.ttlSeconds === undefined ? undefined : String(c.ttlSeconds),
        Urgency: c.priority === "high" ? "high" : "normal",
      }),
      notification: alert ? compact({ title: c.title, body: c.body, image: c.image, icon: c.icon, tag: c.collapseKey }) : undefined,
      fcm_options: c.link !== undefined && c.link.startsWith("https://") ? { link: c.link } : undefined,
    });
  }
  return compact(message)!;
}
