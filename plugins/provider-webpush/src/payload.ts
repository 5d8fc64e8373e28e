import { createHash } from "node:crypto";
import type { ResolvedPush } from "@nudge/channel-push";

/** The JSON a service worker receives (documented in the README). */
export function payloadOf(c: ResolvedPush): Record<string, unknown> {
  const p: Record<string, unknown> = { title: c.title, body: c.body, image: c.image, icon: c.icon, badge: c.badge, tag: c.threadId ?? c.collapseKey, link: c.link, data: c.data };
  for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
  return p;
}

/** RFC 8030 §5.4: a Topic is at most 32 base64url characters; longer or other keys are hashed into one. */
export function topicOf(key: string): string {
  return /^[A-Za-z0-9_-]{1,32}$/.test(key) ? key : createHash("sha256").update(key).digest("base64url").slice(0, 32);
}
