import { inject, injectable } from "tsyringe";
import { currentSubscriptions, type ContactPoints, type CurrentSubscription, type Profile, type Subscription } from "../../domain/profile.js";
import type { Enrollment } from "../../domain/journey.js";
import type { Message } from "../../domain/message.js";
import type { EnrollmentStore, MessageStore, SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";

export interface EnrollmentSummary {
  enrollmentId: string;
  journeyId: string;
  version: number;
  state: Enrollment["state"];
  stepId: Enrollment["stepId"];
  enteredAt: number;
  endedAt: number | null;
  exitReason: string | null;
  convertedAt: number | null;
}

export interface MessageSummary {
  messageId: string;
  journeyId: string | null;
  stepId: string | null;
  channel: string;
  marketing: boolean;
  status: Message["status"];
  createdAt: number;
  sentAt: number | null;
  /** The error of the last failed attempt, when there is one. */
  lastError: string | null;
}

/** Everything Nudge knows about one person, for support tools and "why did I get this?" questions. */
export interface CustomerView {
  id: string;
  userId: string | null;
  anonymousIds: string[];
  traits: Record<string, unknown>;
  contacts: ContactPoints;
  timezone: string | null;
  locale: string | null;
  createdAt: number;
  updatedAt: number;
  lastSeenAt: number | null;
  /** The state per (channel, topic) now; `subscriptionHistory` has every change. */
  subscriptions: CurrentSubscription[];
  subscriptionHistory: Subscription[];
  nightAdConsent: Profile["nightAdConsent"];
  segments: Array<{ id: string; name: string | null }>;
  journeys: { active: EnrollmentSummary[]; past: EnrollmentSummary[] };
  /** Newest first. */
  recentMessages: MessageSummary[];
}

/** Builds the single customer view from the profile and the stores around it. */
@injectable()
export class CustomerViewBuilder {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.SegmentStore) private readonly segments: SegmentStore,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
  ) {}

  async build(p: Profile, options: { messages?: number } = {}): Promise<CustomerView> {
    const [segmentIds, enrollments, messages] = await Promise.all([
      this.segments.segmentsOf(this.ws, p.id),
      this.enrollments.listByProfile(this.ws, p.id),
      this.messages.list(this.ws, { profileId: p.id, limit: options.messages ?? 20 }),
    ]);
    const segments = await Promise.all(
      segmentIds.map(async (id) => ({ id, name: (await this.segments.get(this.ws, id))?.name ?? null })),
    );
    const summaries = enrollments.map(summarizeEnrollment);
    return {
      id: p.id,
      userId: p.userId,
      anonymousIds: p.anonymousIds,
      traits: p.traits,
      contacts: p.contacts,
      timezone: p.timezone,
      locale: p.locale,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
      lastSeenAt: p.lastSeenAt,
      subscriptions: currentSubscriptions(p),
      subscriptionHistory: [...p.subscriptions].sort((a, b) => b.at - a.at),
      nightAdConsent: p.nightAdConsent,
      segments,
      journeys: { active: summaries.filter((e) => e.state === "active"), past: summaries.filter((e) => e.state !== "active") },
      recentMessages: messages.items.map(summarizeMessage),
    };
  }
}

function summarizeEnrollment(e: Enrollment): EnrollmentSummary {
  return {
    enrollmentId: e.id,
    journeyId: e.journeyId,
    version: e.version,
    state: e.state,
    stepId: e.stepId,
    enteredAt: e.enteredAt,
    endedAt: e.endedAt,
    exitReason: e.exitReason,
    convertedAt: e.convertedAt,
  };
}

function summarizeMessage(m: Message): MessageSummary {
  const failed = [...m.attempts].reverse().find((a) => a.error !== undefined || a.errorCode !== undefined);
  return {
    messageId: m.id,
    journeyId: m.journeyId,
    stepId: m.stepId,
    channel: m.channel,
    marketing: m.marketing,
    status: m.status,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    lastError: failed ? (failed.error ?? failed.errorCode ?? null) : null,
  };
}
