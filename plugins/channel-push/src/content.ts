import { z } from "zod";

// Keys FCM reserves in the data payload (https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode,
// "Invalid data key"), and "aps", which APNs reserves at the top level of its payload.
const RESERVED_KEY = /^(from|notification|message_type|aps|google\..*|gcm\..*)$/;

const DataMap = z.record(z.string().min(1).max(100), z.string().max(4000)).superRefine((data, ctx) => {
  for (const key of Object.keys(data)) if (RESERVED_KEY.test(key)) ctx.addIssue({ code: "custom", path: [key], message: `"${key}" is reserved by FCM or APNs` });
});

/** Fields every platform understands; each platform's block may override any of them. */
const Fields = {
  title: z.string().min(1).max(256).optional(),
  body: z.string().min(1).max(2000).optional(),
  /** A picture shown in the notification (https). */
  image: z.url({ protocol: /^https$/ }).optional(),
  /** Where a tap leads: an app deep link (myapp://orders/42) or an https URL; sent as data "link". */
  link: z.string().min(1).max(2048).optional(),
  /** Key/value strings for the app (FCM data, APNs custom keys, the Web Push payload's data). */
  data: DataMap.optional(),
  /** Newer messages with the same key replace older ones (FCM collapse_key, apns-collapse-id, Web Push Topic). */
  collapseKey: z.string().min(1).max(64).optional(),
  /** Groups notifications (APNs thread-id, the Android notification tag). */
  threadId: z.string().min(1).max(64).optional(),
  /** How long the vendor keeps an undelivered message (seconds); 0 = now or never. */
  ttlSeconds: z.number().int().min(0).max(2_419_200).optional(),
  priority: z.enum(["high", "normal"]).optional(),
  badge: z.number().int().min(0).optional(),
  sound: z.string().min(1).max(100).optional(),
};

const Android = z.object({ ...Fields, channelId: z.string().min(1).max(100).optional() });
const Ios = z.object({ ...Fields, category: z.string().min(1).max(100).optional() });
const Web = z.object({ ...Fields, icon: z.url({ protocol: /^https$/ }).optional() });

/** A rendered push message: common fields plus per-platform overrides. */
export const PushContent = z
  .object({ ...Fields, android: Android.optional(), ios: Ios.optional(), web: Web.optional() })
  .superRefine((c, ctx) => {
    for (const p of ["android", "ios", "web"] as const) {
      const r = resolveFor(c, p);
      if (r.title === undefined && r.body === undefined && Object.keys(r.data).length === 0) {
        ctx.addIssue({ code: "custom", path: ["title"], message: `a title, a body or data is required (for ${p})` });
        return;
      }
    }
  });
export type PushContent = z.infer<typeof PushContent>;
export type PushContentInput = z.input<typeof PushContent>;

export type Platform = "android" | "ios" | "web";

/** What one platform gets once its overrides are applied. */
export interface ResolvedPush {
  title?: string;
  body?: string;
  image?: string;
  link?: string;
  data: Record<string, string>;
  collapseKey?: string;
  threadId?: string;
  ttlSeconds?: number;
  priority: "high" | "normal";
  badge?: number;
  sound?: string;
  channelId?: string;
  category?: string;
  icon?: string;
}

export function resolveFor(content: PushContent, platform: Platform): ResolvedPush {
  const { android: _a, ios: _i, web: _w, ...common } = content;
  const over = (content[platform] ?? {}) as Partial<ResolvedPush>;
  const merged = { ...common, ...over, data: { ...(common.data ?? {}), ...(over.data ?? {}) } };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) out[k] = v;
  return { ...out, data: merged.data, priority: merged.priority ?? "high" } as ResolvedPush;
}
