import type { Profile } from "../../domain/profile.js";
import type { PropertyFilter } from "../../domain/segment.js";
export { durationMs } from "../../domain/segment.js";
import type { EnrollmentStore, EventStore, MessageStore, ProfileStore, SegmentStore, TimelinePoint } from "../../ports/stores.js";
import { TimelineReads, type ReadHint } from "./timeline-reads.js";

/** A condition's value now, and the earliest instant it can change with no new input (null: never). */
export interface Verdict {
  value: boolean;
  nextCheck: number | null;
}

export const STABLE_FALSE: Verdict = { value: false, nextCheck: null };

/** Windows end at the newest event: events dated in the future still count (clients' clocks drift). */
export const FAR_FUTURE = Number.MAX_SAFE_INTEGER;

export interface SegmentStores {
  ws: string;
  profiles: ProfileStore;
  events: EventStore;
  messages: MessageStore;
  enrollments: EnrollmentStore;
  segments: SegmentStore;
}

/**
 * One evaluation pass for one person at one instant: loads the profile once, shares store reads
 * between conditions (TimelineReads; a memo for the rest), and holds the memberships decided earlier
 * in the pass so `segment` conditions see them.
 */
export class EvaluationContext {
  private profileRead: Promise<Profile | null> | null;
  // Built on first use: most passes read one timeline or none.
  private memo: Map<string, Promise<unknown>> | null = null;
  private reads: TimelineReads | null = null;
  /** Memberships decided in this pass (segments are evaluated dependencies first). */
  readonly decided = new Map<string, boolean>();

  constructor(
    readonly stores: SegmentStores,
    readonly profileId: string,
    readonly now: number,
    profile?: Profile | null,
    private readonly hints?: ReadonlyMap<string, ReadHint>,
  ) {
    this.profileRead = profile === undefined ? null : Promise.resolve(profile);
  }

  profile(): Promise<Profile | null> {
    this.profileRead ??= this.stores.profiles.get(this.stores.ws, this.profileId);
    return this.profileRead;
  }

  /** Newest first; `from` inclusive, `to` exclusive. */
  timeline(name: string | null, from: number, where: PropertyFilter[] | undefined, limit: number, sumOf?: string, to = FAR_FUTURE): Promise<TimelinePoint[]> {
    if (to === FAR_FUTURE) {
      const { stores, profileId } = this;
      this.reads ??= new TimelineReads(
        (n, f, w, l, s) => stores.events.timeline(stores.ws, { profileId, name: n, from: f, to: FAR_FUTURE, ...(w ? { where: w } : {}) }, { limit: l, ...(s !== undefined ? { sumOf: s } : {}) }),
        this.now,
        this.hints,
      );
      return this.reads.get(name, from, where, limit, sumOf);
    }
    const key = `t\u0000${name}\u0000${from}\u0000${to}\u0000${limit}\u0000${sumOf ?? ""}\u0000${where ? JSON.stringify(where) : ""}`;
    return this.once(key, () =>
      this.stores.events.timeline(
        this.stores.ws,
        { profileId: this.profileId, name, from, to, ...(where ? { where } : {}) },
        { limit, ...(sumOf !== undefined ? { sumOf } : {}) },
      ),
    );
  }

  count(name: string, from: number, where: PropertyFilter[] | undefined): Promise<number> {
    return this.once(`c\u0000${name}\u0000${from}\u0000${JSON.stringify(where ?? [])}`, () =>
      this.stores.events.count(this.stores.ws, { profileId: this.profileId, name, from, to: FAR_FUTURE, ...(where ? { where } : {}) }),
    );
  }

  sum(name: string, from: number, where: PropertyFilter[] | undefined, property: string): Promise<number> {
    return this.once(`s\u0000${name}\u0000${from}\u0000${property}\u0000${JSON.stringify(where ?? [])}`, () =>
      this.stores.events.sum(this.stores.ws, { profileId: this.profileId, name, from, to: FAR_FUTURE, ...(where ? { where } : {}) }, property),
    );
  }

  async isMember(segmentId: string): Promise<boolean> {
    const decided = this.decided.get(segmentId);
    if (decided !== undefined) return decided;
    return this.stores.segments.isMember(this.stores.ws, segmentId, this.profileId);
  }

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    this.memo ??= new Map();
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = read()));
    return p;
  }
}

/** The earlier of two instants, null meaning never. */
export function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}
