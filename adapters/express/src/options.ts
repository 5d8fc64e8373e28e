import { z } from "zod";

/** What a key may do: send events (`ingest`) or manage journeys, segments, templates, profiles (`admin`). */
export const ApiKeyScope = z.enum(["ingest", "admin"]);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

const keyBase = {
  /** Shown in logs and used to key rate limits; never secret. */
  id: z.string().min(1).max(100).regex(/^[A-Za-z0-9_.:-]+$/, { message: "letters, digits, _ . : - only" }),
  scopes: z.array(ApiKeyScope).min(1),
};

/**
 * A key given in plaintext (hashed when the router is built, the plaintext is not kept) or as the
 * hex SHA-256 of the plaintext, so a host's configuration never needs to hold the secret itself.
 */
export const ApiKeyOption = z.union([
  z.strictObject({ ...keyBase, key: z.string().min(24, { message: "use at least 24 characters (generateApiKey() makes one)" }) }),
  z.strictObject({ ...keyBase, sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { message: "64 hex characters" }) }),
]);
export type ApiKeyOption = z.infer<typeof ApiKeyOption>;

/** A size as body-parser reads it: bytes, or a string such as "256kb", "1mb". */
const Size = z.union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i, { message: 'a size such as "256kb"' })]);

export const RateLimitOptions = z.object({
  windowMs: z.number().int().positive().default(60_000),
  /** Requests per window per key with the `ingest` scope (a batch counts once). */
  ingest: z.number().int().positive().default(60_000),
  /** Requests per window per key with the `admin` scope. */
  admin: z.number().int().positive().default(1_200),
  /** Requests per window per client IP on links and unsubscribe pages. */
  public: z.number().int().positive().default(600),
  /** Requests per window per client IP on provider webhooks and the open pixel (providers and image proxies come in bursts). */
  webhook: z.number().int().positive().default(30_000),
});

/**
 * Failed authentications (a missing or unknown API key) counted per client address and per key prefix,
 * checked before the key itself: once either has `per…` failures within a window, its requests answer
 * 429 until the window ends, without the key being checked.
 */
export const AuthLimitOptions = z.object({
  /** The window failures are counted in; a locked-out address or prefix waits for the end of its window. */
  windowMs: z.number().int().positive().default(15 * 60_000),
  /** Failures per window from one client address (an IPv6 address counts with its /56 network). */
  perAddress: z.number().int().positive().default(100),
  /** Failures per window with one key prefix, from any address (a distributed guess at one key). */
  perKeyPrefix: z.number().int().positive().default(100),
  /** How many leading characters of a presented key make its prefix. */
  prefixLength: z.number().int().min(4).max(64).default(12),
  /** Most addresses and prefixes tracked at once (a memory bound); the oldest windows are forgotten first. */
  maxTracked: z.number().int().min(100).default(100_000),
});
export type AuthLimitOptions = z.infer<typeof AuthLimitOptions>;

export const RouterOptions = z.object({
  keys: z
    .array(ApiKeyOption)
    .min(1)
    .superRefine((keys, ctx) => {
      const seen = new Set<string>();
      keys.forEach((k, i) => {
        if (seen.has(k.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate key id "${k.id}"` });
        seen.add(k.id);
      });
    }),
  /** Per-key and per-IP limits; `false` turns rate limiting off (e.g. behind a gateway that does it). */
  rateLimit: z.union([z.literal(false), RateLimitOptions]).default(RateLimitOptions.parse({})),
  /** Lockouts after failed authentications; `false` turns them off (e.g. behind a gateway that does it). */
  authLimit: z.union([z.literal(false), AuthLimitOptions]).default(AuthLimitOptions.parse({})),
  /** Largest JSON body outside batches: larger gets 413. */
  bodyLimit: Size.default("256kb"),
  batch: z
    .object({
      maxItems: z.number().int().positive().max(10_000).default(500),
      bodyLimit: Size.default("1mb"),
    })
    .default({ maxItems: 500, bodyLimit: "1mb" }),
  /**
   * Shared secrets for provider webhooks, keyed "<channel>/<provider>". When set, a webhook call must
   * carry it as `?secret=` or in the `X-Nudge-Webhook-Secret` header, checked before the channel parses
   * the body. Needed for providers that do not sign their calls.
   */
  webhookSecrets: z.record(z.string().regex(/^[^/]+\/[^/]+$/, { message: 'keys look like "sms/solapi"' }), z.string().min(16)).default({}),
  /** Express's "trust proxy" for this router (client IPs for rate limits); inherited from the host app when absent. */
  trustProxy: z.union([z.boolean(), z.number().int().nonnegative(), z.string(), z.array(z.string())]).optional(),
  /** Moved to the core, which applies it to every ingest call: `settings.ingest.maxFutureMs` of createNudge. */
  maxFutureMs: z.undefined({ error: "has moved to createNudge's settings.ingest.maxFutureMs" }).optional(),
  /** Clicks on one link within this window count once (double clicks, link scanners). */
  clickWindowMs: z.number().int().positive().default(60_000),
  /** Loads of one open pixel within this window count once (a client that fetches images twice, a proxy's prefetch). */
  openWindowMs: z.number().int().positive().default(60_000),
  /**
   * Serve /metrics without a key. Off by default: the scraper sends an admin key. Turn it on only where
   * the mount point is out of the public's reach (a private network); the router logs that it is public.
   */
  publicMetrics: z.boolean().default(false),
  /** Request logs through pino-http on the instance's logger (info level; not mounted when the logger is above info). */
  requestLog: z.boolean().default(true),
});
export type RouterOptions = z.infer<typeof RouterOptions>;
export type RouterOptionsInput = z.input<typeof RouterOptions>;
