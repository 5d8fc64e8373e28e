import { z } from "zod";
import { EpochMs, JsonRecord } from "./common.js";

export const SubscriptionState = z.enum(["subscribed", "unsubscribed", "never_asked"]);
export type SubscriptionState = z.infer<typeof SubscriptionState>;

/** One consent fact: a channel (and optionally a topic), its state, when and from where it changed. */
export const Subscription = z.object({
  channel: z.string().min(1),
  topic: z.string().min(1).optional(),
  state: SubscriptionState,
  at: EpochMs,
  source: z.string().min(1),
});
export type Subscription = z.infer<typeof Subscription>;

export const PushToken = z.object({
  token: z.string().min(1),
  platform: z.enum(["ios", "android", "web"]),
  /** Web Push subscription keys, when platform is web. */
  keys: z.object({ p256dh: z.string(), auth: z.string() }).optional(),
  addedAt: EpochMs.optional(),
});
export type PushToken = z.infer<typeof PushToken>;

/** Where a person can be reached. Phone numbers are E.164, e-mail is lower-case. */
export const ContactPoints = z.object({
  email: z.string().optional(),
  phone: z.string().optional(),
  push: z.array(PushToken).optional(),
  /** Kakao: whether the person is a friend of the brand's channel, when known. */
  kakao: z.object({ channelFriend: z.boolean().optional() }).optional(),
  /** Contact points a provider declared unusable, keyed "email" / "phone" / "push:<token>". */
  invalid: z.record(z.string(), z.object({ reason: z.string(), at: EpochMs })).optional(),
});
export type ContactPoints = z.infer<typeof ContactPoints>;

/**
 * Contact facts a host sets with identify (`contacts`): where the person can be reached, and what a channel
 * must know to reach them. `null` clears one (a friendship then is "not known"). Unknown keys are refused, so
 * a misspelt fact is an error rather than silently ignored.
 */
export const ContactFacts = z
  .object({
    /** Normalized as the `email` trait is: trimmed, lower-cased, checked. */
    email: z.string().max(320).nullable().optional(),
    /** Normalized as the `phone` trait is: E.164, national numbers in the `defaultPhoneRegion`. */
    phone: z.string().max(64).nullable().optional(),
    kakao: z
      .object({
        /** Whether the person is a friend of the brand's Kakao channel: Brand Message targeting I reaches friends only. */
        channelFriend: z
          .boolean()
          .nullable()
          .optional()
          .describe("Whether the person is a friend of the brand's Kakao channel (Brand Message targeting I reaches friends only); null: not known"),
      })
      .strict()
      .optional(),
  })
  .strict()
  .describe("Contact points and what channels need to reach the person; null clears one. email and phone are normalized as the traits of the same name");
/** What identify's `contacts` takes: `{ email?, phone?, kakao?: { channelFriend? } }`, each nullable. */
export type ContactFacts = z.input<typeof ContactFacts>;

export const Profile = z.object({
  workspaceId: z.string(),
  /** Internal id, stable across identify and merge. */
  id: z.string(),
  userId: z.string().nullable(),
  anonymousIds: z.array(z.string()),
  traits: JsonRecord,
  contacts: ContactPoints,
  timezone: z.string().nullable(),
  locale: z.string().nullable(),
  subscriptions: z.array(Subscription),
  /** Separate consent for advertising at night (Korean law, art. 50(3)). */
  nightAdConsent: z.object({ granted: z.boolean(), at: EpochMs, source: z.string() }).nullable(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
  lastSeenAt: EpochMs.nullable(),
  /** Optimistic-concurrency counter, incremented by every save. */
  version: z.number().int().nonnegative(),
});
export type Profile = z.infer<typeof Profile>;

export function newProfile(workspaceId: string, id: string, now: number): Profile {
  return {
    workspaceId,
    id,
    userId: null,
    anonymousIds: [],
    traits: {},
    contacts: {},
    timezone: null,
    locale: null,
    subscriptions: [],
    nightAdConsent: null,
    createdAt: now,
    updatedAt: now,
    lastSeenAt: null,
    version: 0,
  };
}

/** The latest state for a channel (and topic). */
export function subscriptionState(p: Profile, channel: string, topic?: string): SubscriptionState {
  let found: Subscription | undefined;
  for (const s of p.subscriptions) {
    if (s.channel === channel && (s.topic ?? null) === (topic ?? null) && (!found || s.at >= found.at)) found = s;
  }
  return found?.state ?? "never_asked";
}

/** A contact point the channel may use: present and not marked invalid by a provider. */
export function usableContact(p: Profile, kind: "email" | "phone"): string | null {
  const value = p.contacts[kind];
  if (!value || p.contacts.invalid?.[kind]) return null;
  return value;
}

/** A consent change for a channel (and optionally a topic). */
export const SubscriptionChange = z.object({
  channel: z.string().min(1).max(100),
  topic: z.string().min(1).max(100).optional(),
  state: SubscriptionState,
  /** Where the change came from: "signup-form", "080-unsubscribe", "provider:nhncloud" ... */
  source: z.string().min(1).max(200),
});
export type SubscriptionChange = z.input<typeof SubscriptionChange>;

/** Consent to advertising at night (21:00–08:00 local), asked separately from the channel subscription. */
export const NightAdConsentChange = z.object({ granted: z.boolean(), source: z.string().min(1).max(200) });
export type NightAdConsentChange = z.input<typeof NightAdConsentChange>;

/**
 * An explicit merge: the person known as `previousId` (a userId or an anonymousId) is the person
 * `userId`. Both histories are kept under `userId`'s profile.
 */
export const AliasInput = z.object({
  userId: z.string().min(1).max(200),
  previousId: z.string().min(1).max(200),
});
export type AliasInput = z.input<typeof AliasInput>;

export type CurrentSubscription = Omit<Subscription, "topic"> & { topic: string | null };

/** The current state per (channel, topic), newest change first, with when and where it changed. */
export function currentSubscriptions(p: Profile): CurrentSubscription[] {
  const latest = new Map<string, Subscription>();
  for (const s of p.subscriptions) {
    const key = `${s.channel}\u0000${s.topic ?? ""}`;
    const seen = latest.get(key);
    if (!seen || s.at >= seen.at) latest.set(key, s);
  }
  return [...latest.values()].map((s) => ({ ...s, topic: s.topic ?? null })).sort((a, b) => b.at - a.at);
}
