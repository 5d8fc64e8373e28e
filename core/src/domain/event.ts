import { z } from "zod";
import { EpochMs, Id, JsonRecord, Timestamp } from "./common.js";
import { ContactFacts } from "./profile.js";

const identity = {
  userId: Id.optional(),
  anonymousId: Id.optional(),
};

const needsIdentity = (v: { userId?: string | undefined; anonymousId?: string | undefined }) =>
  v.userId !== undefined || v.anonymousId !== undefined;
const identityMessage = { message: "userId or anonymousId is required", path: ["userId"] };

/** What a caller sends to `nudge.track()`. */
export const TrackInput = z
  .object({
    ...identity,
    event: Id,
    properties: JsonRecord.optional(),
    timestamp: Timestamp.optional(),
    messageId: Id.optional(),
    context: JsonRecord.optional(),
  })
  .refine(needsIdentity, identityMessage);
export type TrackInput = z.input<typeof TrackInput>;

/** What a caller sends to `nudge.identify()`. */
export const IdentifyInput = z
  .object({
    ...identity,
    traits: JsonRecord.optional(),
    /** Traits written only when the profile has none of that name yet. */
    traitsOnce: JsonRecord.optional(),
    /** Contact points and channel facts: `{ email, phone, kakao: { channelFriend } }` (see ContactFacts). */
    contacts: ContactFacts.optional(),
    timestamp: Timestamp.optional(),
    messageId: Id.optional(),
    context: JsonRecord.optional(),
  })
  .refine(needsIdentity, identityMessage);
export type IdentifyInput = z.input<typeof IdentifyInput>;

/** One item of `nudge.batch()`: a track or identify call tagged with its type. */
export const BatchItem = z.discriminatedUnion("type", [
  TrackInput.safeExtend({ type: z.literal("track") }),
  IdentifyInput.safeExtend({ type: z.literal("identify") }),
]);
export type BatchItem = z.input<typeof BatchItem>;

export const EventType = z.enum(["track", "identify"]);

/** A stored event. `messageId` is the idempotency key: one event per (workspace, messageId). */
export const NudgeEvent = z.object({
  workspaceId: z.string(),
  id: z.string(),
  messageId: z.string(),
  type: EventType,
  name: z.string(),
  profileId: z.string(),
  userId: z.string().nullable(),
  anonymousId: z.string().nullable(),
  properties: JsonRecord,
  context: JsonRecord,
  timestamp: EpochMs,
  receivedAt: EpochMs,
  /** Set once segments and journeys have seen the event, or on arrival when none reacts to its kind; unset ones are replayed at start. */
  processedAt: EpochMs.nullable(),
});
export type NudgeEvent = z.infer<typeof NudgeEvent>;
