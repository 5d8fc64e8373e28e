import { inject, injectable } from "tsyringe";
import type { Logger } from "../../ports/logger.js";
import type { EnrollmentStore, EventStore, MessageStore, ProfileStore, SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { RecentEvents } from "../ingest/recent-events.js";

/** What an erasure removed. */
export interface ErasureReport {
  profileId: string;
  /** Whether a profile was still there (erasing twice is allowed and finds nothing the second time). */
  profileFound: boolean;
  eventsDeleted: number;
  enrollmentsDeleted: number;
  /** Messages kept in the log for anonymous counts, their contents and recipients removed. */
  messagesRedacted: number;
}

/**
 * The right to erasure: deletes the profile, its events and enrollments and segment memberships, and
 * redacts its messages (content and recipient) so that only anonymous counts remain. Idempotent: the
 * profile goes last, so a failure midway is finished by erasing again.
 */
@injectable()
export class ProfileEraser {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(Tokens.EventStore) private readonly events: EventStore,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.SegmentStore) private readonly segments: SegmentStore,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(RecentEvents) private readonly recent: RecentEvents,
  ) {}

  async erase(profileId: string): Promise<ErasureReport> {
    const found = (await this.profiles.get(this.ws, profileId)) !== null;
    const eventsDeleted = await this.events.deleteByProfile(this.ws, profileId);
    this.recent.forgetProfile(profileId);
    const enrollmentsDeleted = await this.enrollments.deleteByProfile(this.ws, profileId);
    const messagesRedacted = await this.messages.redactByProfile(this.ws, profileId);
    await this.segments.removeProfile(this.ws, profileId);
    await this.profiles.delete(this.ws, profileId);
    const report = { profileId, profileFound: found, eventsDeleted, enrollmentsDeleted, messagesRedacted };
    // Counts and the internal id only: the id now points at nothing.
    this.logger.info(report, "profile erased");
    return report;
  }
}
