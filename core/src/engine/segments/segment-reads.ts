import { inject, injectable } from "tsyringe";
import type { EnrollmentStore, EventStore, MessageStore, ProfileStore, SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { SegmentStores } from "./evaluation-context.js";

/** The stores a segment evaluation reads, of this instance's workspace. */
@injectable()
export class SegmentReads implements SegmentStores {
  constructor(
    @inject(Tokens.Workspace) readonly ws: string,
    @inject(Tokens.ProfileStore) readonly profiles: ProfileStore,
    @inject(Tokens.EventStore) readonly events: EventStore,
    @inject(Tokens.MessageStore) readonly messages: MessageStore,
    @inject(Tokens.EnrollmentStore) readonly enrollments: EnrollmentStore,
    @inject(Tokens.SegmentStore) readonly segments: SegmentStore,
  ) {}
}
