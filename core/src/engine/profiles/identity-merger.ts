import { inject, injectable } from "tsyringe";
import { ConflictError } from "../../errors.js";
import type { ContactPoints, Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { EnrollmentStore, EventStore, MessageStore, ProfileStore, SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { RecentEvents } from "../ingest/recent-events.js";
import { SegmentRequests } from "../segments/segment-requests.js";

const MAX_CONFLICT_RETRIES = 5;

/**
 * Merges one profile into another: events, enrollments and messages move to the surviving profile,
 * which takes the other's ids and fills its missing traits and contacts from it; the merged-away
 * profile is deleted and the survivor's segments are re-evaluated.
 */
@injectable()
export class IdentityMerger {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.EventStore) private readonly events: EventStore,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.SegmentStore) private readonly segments: SegmentStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(SegmentRequests) private readonly segmentRequests: SegmentRequests,
    @inject(RecentEvents) private readonly recent: RecentEvents,
  ) {}

  /**
   * `source` into `target`. With `keepUserId`, the source's userId stays reachable as one of the
   * target's ids (an explicit alias of two known people), so later calls with it find the survivor.
   */
  async merge(source: Profile, target: Profile, options: { keepUserId?: boolean } = {}): Promise<Profile> {
    // Histories move before the source is deleted: a crash midway leaves both profiles, and repeating
    // the merge finishes it.
    await this.events.reassignProfile(this.ws, source.id, target.id);
    this.recent.forgetProfile(source.id);
    await this.enrollments.reassignProfile(this.ws, source.id, target.id);
    await this.messages.reassignProfile(this.ws, source.id, target.id);
    await this.segments.removeProfile(this.ws, source.id);
    await this.profiles.delete(this.ws, source.id);
    // An event accepted for the source while it was being merged lands here too.
    await this.events.reassignProfile(this.ws, source.id, target.id);
    this.recent.forgetProfile(source.id);
    const merged = await this.saveMerged(source, target.id, options.keepUserId === true);
    await this.segmentRequests.request(merged.id, { all: true });
    return merged;
  }

  private async saveMerged(source: Profile, targetId: string, keepUserId: boolean): Promise<Profile> {
    for (let attempt = 0; ; attempt++) {
      const target = await this.profiles.get(this.ws, targetId);
      if (!target) throw new ConflictError("profile", targetId);
      try {
        return await this.profiles.save(mergeFields(source, target, keepUserId, this.clock.now()));
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      }
    }
  }
}

/** The survivor's values win; the merged-away profile fills what the survivor lacks. */
function mergeFields(source: Profile, target: Profile, keepUserId: boolean, now: number): Profile {
  const ids = [...target.anonymousIds, ...source.anonymousIds, ...(keepUserId && source.userId !== null ? [source.userId] : [])];
  const consents = [source.nightAdConsent, target.nightAdConsent].filter((c) => c !== null);
  return {
    ...target,
    anonymousIds: [...new Set(ids)].filter((id) => id !== target.userId),
    traits: { ...source.traits, ...target.traits },
    contacts: mergeContacts(source.contacts, target.contacts),
    timezone: target.timezone ?? source.timezone,
    locale: target.locale ?? source.locale,
    // Both consent histories are kept; the latest change per channel and topic is the state.
    subscriptions: [...source.subscriptions, ...target.subscriptions].sort((a, b) => a.at - b.at),
    nightAdConsent: consents.sort((a, b) => b.at - a.at)[0] ?? null,
    createdAt: Math.min(source.createdAt, target.createdAt),
    lastSeenAt: Math.max(source.lastSeenAt ?? 0, target.lastSeenAt ?? 0) || null,
    updatedAt: now,
  };
}

function mergeContacts(source: ContactPoints, target: ContactPoints): ContactPoints {
  const push = [...(target.push ?? [])];
  for (const t of source.push ?? []) if (!push.some((p) => p.token === t.token)) push.push(t);
  const merged: ContactPoints = { ...source, ...target };
  if (push.length > 0) merged.push = push;
  const invalid: NonNullable<ContactPoints["invalid"]> = {};
  for (const [key, mark] of Object.entries({ ...source.invalid, ...target.invalid })) if (key.startsWith("push:")) invalid[key] = mark;
  // A mark belongs to the address it was made for: take it from the profile whose address survived.
  for (const kind of ["email", "phone"] as const) {
    const mark = (target[kind] !== undefined ? target : source).invalid?.[kind];
    if (mark) invalid[kind] = mark;
  }
  if (Object.keys(invalid).length > 0) merged.invalid = invalid;
  else delete merged.invalid;
  return merged;
}
