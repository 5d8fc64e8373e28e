import { z } from "zod";

/** A provider id as provider plugins register it: "fcm", "apns", "webpush", "sandbox" ... */
const ProviderId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must be a provider id such as "fcm" or "sandbox"' });

/**
 * A key of the old shape (vendors configured inside the channel). Refused rather than stripped: a host upgrading
 * with `fcm: { ... }` would otherwise send everything to the sandbox without a word.
 */
const removed = (hint: string) => z.never({ error: hint }).optional();

export const PushConfig = z.object({
  /** The channel id journeys name. */
  id: z.string().min(1).default("push"),
  /**
   * Push providers in order. Each device goes to the first listed provider that serves its platform (and token
   * kind); later ones serving it are its failover, tried only when the previous provably did not act. "sandbox"
   * needs no plugin and serves every platform; any other id needs its provider plugin (`fcm()`, `apns()`, `webPush()`).
   */
  providers: z.array(ProviderId).min(1).default(["sandbox"]),
  /** At most this many of a person's devices per message (newest first). */
  maxDevices: z.number().int().min(1).max(100).default(10),
  fcm: removed('moved to its provider plugin: `providers: ["fcm"]` and fcm({ serviceAccount }) from @nudge/provider-fcm in `plugins`'),
  apns: removed('moved to its provider plugin: `providers: ["apns"]` and apns({ teamId, keyId, privateKey, topic }) from @nudge/provider-apns in `plugins`'),
  webpush: removed('moved to its provider plugin: `providers: ["webpush"]` and webPush({ vapid }) from @nudge/provider-webpush in `plugins`'),
  sandbox: removed('replaced by `providers: ["sandbox"]` (the default); inject failures with sandboxProvider({ channel: "push", failFor }) from @nudge/core in `plugins`'),
  iosVia: removed('replaced by the order of `providers`: iOS devices go to the first listed provider serving iOS, e.g. ["apns", "fcm"] or ["fcm", "apns"]'),
  timeoutMs: removed("moved to each provider plugin: fcm({ timeoutMs }), apns({ timeoutMs }), webPush({ timeoutMs })"),
});
export type PushConfig = z.output<typeof PushConfig>;
export type PushConfigInput = z.input<typeof PushConfig>;
