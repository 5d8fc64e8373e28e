import { z } from "zod";
import { ContactPoints, SubscriptionState } from "../../domain/profile.js";
import { IsoDuration, JsonRecord, Timestamp } from "../../domain/common.js";
import type { Cost, Decision, Delivery, MessageStatus } from "../../domain/message.js";
import type { EnrollmentState, StepType } from "../../domain/journey.js";
import type { PluginSpec } from "../../plugin.js";

/** The person a simulation runs for. */
export const SimulatedProfile = z.object({
  userId: z.string().min(1).default("simulated-person"),
  traits: JsonRecord.default({}),
  /** IANA zone; the workspace's when absent. */
  timezone: z.string().optional(),
  locale: z.string().optional(),
  contacts: ContactPoints.default({}),
  subscriptions: z.array(z.object({ channel: z.string().min(1), topic: z.string().min(1).optional(), state: SubscriptionState })).default([]),
  /** Segment ids the person is a member of. */
  segments: z.array(z.string().min(1)).default([]),
  nightAdConsent: z.boolean().optional(),
});

export const SimulationInput = z.object({
  profile: SimulatedProfile.prefault({}),
  /** The scripted timeline. Events run in time order; timers that fall due between them fire first. */
  events: z.array(z.object({ at: Timestamp, name: z.string().min(1), properties: JsonRecord.default({}) })).default([]),
  /** Where the clock starts: the first event's time by default (or now when there is none). */
  start: Timestamp.optional(),
  /** How long after the last event the journey may keep running (ISO 8601 duration). */
  horizon: IsoDuration.default("P90D"),
  /** Webhook steps are never called in a simulation: their answers by step id (200 {} when absent). */
  webhooks: z.record(z.string(), z.object({ status: z.number().int().min(100).max(599), body: z.unknown().optional() })).default({}),
});
export type SimulationInput = z.input<typeof SimulationInput>;

export interface SimulateOptions {
  /**
   * A storage plugin for the throwaway instance; when absent, the instance's `simulation.storage`, else a new
   * store of the live storage plugin's own kind (storage-memory; storage-sqlite in memory; storage-postgres in a
   * schema of its own on the same database, dropped when the simulation ends).
   */
  storage?: PluginSpec;
}

export interface SimulatedStep {
  /** UTC, ISO 8601. */
  at: string;
  /** The recipient's local time. */
  local: string;
  journeyId: string;
  version: number;
  enrollmentId: string;
  stepId: string;
  type: StepType;
  via: "arrive" | "timer" | "event";
  outcome: "next" | "park" | "exit";
  next: string | null;
  note: string | null;
}

export interface SimulatedMessage {
  at: string;
  local: string;
  journeyId: string | null;
  stepId: string | null;
  status: MessageStatus;
  /** The channel that settled it (the last one tried). */
  channel: string;
  provider: string | null;
  recipient: string | null;
  /** Rendered content for that channel. */
  content: unknown;
  cost: Cost | null;
  attempts: Delivery[];
  decisions: Decision[];
}

export interface SimulationResult {
  journeyId: string;
  /** The zone local times are given in. */
  timezone: string;
  steps: SimulatedStep[];
  messages: SimulatedMessage[];
  /** Every policy decision on every message, in order. */
  decisions: (Decision & { stepId: string | null; channel: string })[];
  enrollments: { id: string; journeyId: string; version: number; state: EnrollmentState; exitReason: string | null; enteredAt: string; endedAt: string | null; convertedAt: string | null }[];
  /** Where the simulated clock stopped. */
  endedAt: string;
}
