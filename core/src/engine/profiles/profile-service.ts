import { randomUUID } from "node:crypto";
import { inject, injectable } from "tsyringe";
import type { z } from "zod";
import { ConflictError, ValidationError } from "../../errors.js";
import {
  AliasInput,
  NightAdConsentChange,
  newProfile,
  SubscriptionChange,
  type ContactFacts,
  type Profile,
} from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { ProfileStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { ContactNormalizer } from "./contact-normalizer.js";
import { CustomerViewBuilder, type CustomerView } from "./customer-view.js";
import { IdentityMerger } from "./identity-merger.js";
import { ProfileEraser, type ErasureReport } from "./profile-eraser.js";
import { SegmentRequests } from "../segments/segment-requests.js";

export interface IdentityRef {
  userId?: string | undefined;
  anonymousId?: string | undefined;
}

/** The person an identity names, and whether this call created them. */
export interface ResolvedIdentity {
  profile: Profile;
  created: boolean;
}

const MAX_CONFLICT_RETRIES = 5;

/** Finds, creates, links and saves profiles. Every write retries on optimistic-concurrency conflicts. */
@injectable()
export class ProfileService {

  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(ContactNormalizer) private readonly contacts: ContactNormalizer,
    @inject(IdentityMerger) private readonly merger: IdentityMerger,
    @inject(ProfileEraser) private readonly eraser: ProfileEraser,
    @inject(CustomerViewBuilder) private readonly viewer: CustomerViewBuilder,
    @inject(SegmentRequests) private readonly segmentRequests: SegmentRequests,
  ) {}

  async get(profileId: string): Promise<Profile | null> {
    return this.profiles.get(this.ws, profileId);
  }

  async find(ref: IdentityRef): Promise<Profile | null> {
    if (ref.userId !== undefined) {
      const p = await this.byUserId(ref.userId);
      if (p) return p;
    }
    if (ref.anonymousId !== undefined) return this.profiles.getByAnonymousId(this.ws, ref.anonymousId);
    return null;
  }

  /**
   * The profile ids of the people with these userIds, in one store round trip when the store offers it.
   * Exact userIds only: an id an alias kept, or nobody's, is missing from the map (`resolve` handles those).
   */
  async idsByUserId(userIds: readonly string[]): Promise<Map<string, string>> {
    if (this.profiles.idsByUserId) return this.profiles.idsByUserId(this.ws, userIds);
    const out = new Map<string, string>();
    for (const userId of new Set(userIds)) {
      const p = await this.profiles.getByUserId(this.ws, userId);
      if (p) out.set(userId, p.id);
    }
    return out;
  }

  /**
   * The profile for an identity, created when absent. With both ids, links them: an anonymous profile
   * becomes the known person's, or is merged into the known profile (its events and enrollments move).
   */
  async resolve(ref: IdentityRef): Promise<Profile> {
    return (await this.resolveIdentity(ref)).profile;
  }

  /**
   * `resolve`, also saying whether the person was created by this call: the first event of a new person
   * has every segment evaluated after it is stored (a holdout bucket, "not VIP"), so a new person does not
   * enter "did not log in" just before their first login is counted.
   */
  async resolveIdentity(ref: IdentityRef): Promise<ResolvedIdentity> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.resolveOnce(ref);
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      }
    }
  }

  private async resolveOnce(ref: IdentityRef): Promise<ResolvedIdentity> {
    const now = this.clock.now();
    const known = ref.userId !== undefined ? await this.byUserId(ref.userId) : null;
    const anon = ref.anonymousId !== undefined ? await this.profiles.getByAnonymousId(this.ws, ref.anonymousId) : null;

    if (known && anon && known.id !== anon.id) {
      if (anon.userId === null) return { profile: await this.merger.merge(anon, known), created: false };
      return { profile: known, created: false }; // the anonymous id belongs to another known person: never merge two known profiles implicitly
    }
    // A shared device: the anonymous id is already another known person's, so this is someone new.
    const anonOfOther = !known && anon !== null && anon.userId !== null && ref.userId !== undefined && anon.userId !== ref.userId;
    const existing = known ?? (anonOfOther ? null : anon);
    if (existing) {
      let changed = false;
      const next = { ...existing };
      if (ref.userId !== undefined && existing.userId === null) {
        next.userId = ref.userId;
        next.anonymousIds = existing.anonymousIds.filter((a) => a !== ref.userId);
        changed = true;
      }
      if (ref.anonymousId !== undefined && !next.anonymousIds.includes(ref.anonymousId) && ref.anonymousId !== next.userId) {
        next.anonymousIds = [...next.anonymousIds, ref.anonymousId];
        changed = true;
      }
      if (!changed) return { profile: existing, created: false };
      next.updatedAt = now;
      return { profile: await this.profiles.save(next), created: false };
    }
    const created = newProfile(this.ws, randomUUID(), now);
    created.userId = ref.userId ?? null;
    created.anonymousIds = ref.anonymousId !== undefined && !anonOfOther ? [ref.anonymousId] : [];
    return { profile: await this.profiles.save(created), created: true };
  }

  /** A userId, or a former userId kept by an alias among a profile's ids. */
  private async byUserId(userId: string): Promise<Profile | null> {
    return (await this.profiles.getByUserId(this.ws, userId)) ?? (await this.profiles.getByAnonymousId(this.ws, userId));
  }

  /** Moves one profile's history into another, then deletes it. */
  async mergeInto(source: Profile, target: Profile): Promise<Profile> {
    return this.merger.merge(source, target, { keepUserId: true });
  }

  /**
   * Explicit merge: `previousId` (a userId or an anonymousId) is the person `userId`. Both histories are
   * kept under `userId`'s profile (created when absent); the previous id keeps reaching it.
   */
  async alias(input: AliasInput): Promise<Profile> {
    const parsed = AliasInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("alias call", parsed.error);
    const { userId, previousId } = parsed.data;
    if (userId === previousId) throw new ValidationError("alias call", [{ path: "previousId", message: "must differ from userId" }]);
    const previous = await this.byUserId(previousId);
    const target = await this.profiles.getByUserId(this.ws, userId);
    if (!previous) {
      const linked = await this.resolveIdentity({ userId, anonymousId: previousId });
      // No event follows an alias: a person it created is evaluated now.
      if (linked.created) await this.segmentRequests.request(linked.profile.id, { all: true });
      return linked.profile;
    }
    if (!target) {
      // The previous person simply takes the new userId; the old one stays as an alias.
      const updated = await this.update(previous.id, (p) => {
        if (p.userId !== null && p.userId !== userId) p.anonymousIds = [...new Set([...p.anonymousIds, p.userId])];
        p.userId = userId;
        return p;
      });
      return updated ?? this.resolve({ userId });
    }
    if (previous.id === target.id) return target;
    return this.merger.merge(previous, target, { keepUserId: true });
  }

  /**
   * Applies an identify call's traits (set, and set-once) and contact facts. Contact traits (email, phone,
   * timezone, locale) are normalized and fill the contact points; `contacts` (email, phone, Kakao channel
   * friendship) set contact points only, and win over a contact trait of the same call. A bad one is a
   * ValidationError naming it.
   */
  async applyTraits(
    profileId: string,
    traits: Record<string, unknown>,
    traitsOnce: Record<string, unknown>,
    at: number,
    contacts: ContactFacts = {},
  ): Promise<Profile | null> {
    const normalized = this.contacts.identify(traits, traitsOnce, contacts);
    const facts = ContactNormalizer.fromFacts(normalized.contacts);
    return this.update(profileId, (p) => {
      const applied: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(normalized.traitsOnce)) if (!(k in p.traits)) applied[k] = v;
      Object.assign(applied, normalized.traits);
      Object.assign(p.traits, applied);
      const update = { ...this.contacts.contacts(applied), ...facts };
      p.contacts = ContactNormalizer.apply(p.contacts, update);
      if (update.timezone !== undefined) p.timezone = update.timezone;
      if (update.locale !== undefined) p.locale = update.locale;
      p.lastSeenAt = Math.max(p.lastSeenAt ?? 0, at);
      return p;
    });
  }

  /** Records a consent change for a channel (and topic), with when and where it came from. */
  async setSubscription(profileId: string, change: SubscriptionChange): Promise<Profile | null> {
    const c = parse(SubscriptionChange, change, "subscription change");
    const at = this.clock.now();
    return this.update(profileId, (p) => {
      p.subscriptions.push({ channel: c.channel, ...(c.topic ? { topic: c.topic } : {}), state: c.state, at, source: c.source });
      return p;
    });
  }

  /** Records the separate consent to advertising at night (Korean law, art. 50(3)). */
  async setNightAdConsent(profileId: string, change: NightAdConsentChange): Promise<Profile | null> {
    const c = parse(NightAdConsentChange, change, "night-time advertising consent");
    const at = this.clock.now();
    return this.update(profileId, (p) => ({ ...p, nightAdConsent: { granted: c.granted, at, source: c.source } }));
  }

  /** Marks a contact point unusable ("email", "phone" or "push:<token>"), e.g. after a hard bounce. */
  async invalidateContact(profileId: string, key: string, reason: string): Promise<Profile | null> {
    const at = this.clock.now();
    return this.update(profileId, (p) => {
      p.contacts.invalid = { ...(p.contacts.invalid ?? {}), [key]: { reason, at } };
      if (key.startsWith("push:")) p.contacts.push = (p.contacts.push ?? []).filter((t) => `push:${t.token}` !== key);
      return p;
    });
  }

  /** Deletes a person: profile, events, enrollments, memberships; message contents are redacted. */
  async erase(profileId: string): Promise<ErasureReport> {
    return this.eraser.erase(profileId);
  }

  /** The single customer view of a known person, or null. */
  async view(userId: string): Promise<CustomerView | null> {
    const p = await this.byUserId(userId);
    return p ? this.viewer.build(p) : null;
  }

  /** The single customer view by internal profile id, or null. */
  async viewProfile(profileId: string): Promise<CustomerView | null> {
    const p = await this.profiles.get(this.ws, profileId);
    return p ? this.viewer.build(p) : null;
  }

  /** Read-modify-write with retries on conflict. */
  async update(profileId: string, change: (p: Profile) => Profile | null): Promise<Profile | null> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.profiles.get(this.ws, profileId);
      if (!current) return null;
      const next = change(structuredClone(current));
      if (!next) return current;
      try {
        return await this.profiles.save({ ...next, updatedAt: this.clock.now() });
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      }
    }
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw ValidationError.fromZod(what, r.error);
  return r.data;
}
