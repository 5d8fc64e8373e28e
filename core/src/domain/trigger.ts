import { z } from "zod";
import { IsoDuration } from "./common.js";
import { PropertyFilter } from "./segment.js";

export const EventTrigger = z.object({
  type: z.literal("event"),
  event: z.string().min(1),
  where: z.array(PropertyFilter).optional(),
});

export const SegmentTrigger = z.object({
  type: z.literal("segment"),
  segment: z.string().min(1),
  on: z.enum(["entered", "exited"]).default("entered"),
});

export const ScheduleTrigger = z.object({
  type: z.literal("schedule"),
  /** A cron expression. */
  cron: z.string().min(1),
  /** "workspace" (default) or "recipient" local time; or an IANA zone. */
  timezone: z.string().default("workspace"),
  /** The audience: a segment id; every profile when absent. */
  segment: z.string().optional(),
});

export const InactivityTrigger = z.object({
  type: z.literal("inactivity"),
  /** The event whose absence counts; any event when absent. */
  event: z.string().optional(),
  after: IsoDuration,
});

/** What starts a journey. */
export const Trigger = z.discriminatedUnion("type", [EventTrigger, SegmentTrigger, ScheduleTrigger, InactivityTrigger]);
export type Trigger = z.infer<typeof Trigger>;
