import { z } from "zod";
import { isSupportedCountry } from "libphonenumber-js/max";
import { DispatchSettings } from "./dispatch/dispatch-settings.js";
import { IngestSettings } from "./ingest/ingest-settings.js";
import { JourneySettings } from "./journeys/journey-settings.js";
import { RetentionSettings } from "./retention/retention-settings.js";
import { TemplateSettings } from "../template/template-settings.js";

/** Engine settings a host may tune; every field has a default. */
export const EngineSettings = z.object({
  /** IANA zone of the workspace: schedules and recipients without a zone use it. */
  timezone: z.string().default("UTC"),
  /** How often the timer poller looks for due timers with a real clock. */
  timerPollMs: z.number().int().positive().default(1000),
  /** How long a claimed timer is leased before another worker may take it. */
  timerLeaseMs: z.number().int().positive().default(60_000),
  /** Jobs running at once in the in-process queue. */
  concurrency: z.number().int().positive().default(32),
  /** Jobs waiting before ingestion waits (back-pressure). */
  maxQueued: z.number().int().positive().default(10_000),
  /** Steps one enrollment may take in a row before it is parked (guards against loops). */
  maxStepsPerRun: z.number().int().positive().default(100),
  /** Region for phone numbers written without a country code (ISO 3166 alpha-2): 010-1234-5678 -> +821012345678. */
  defaultPhoneRegion: z
    .string()
    .refine((r) => isSupportedCountry(r), { message: "must be a region libphonenumber knows, such as KR or US" })
    .default("KR"),
  /** How long segment definitions are cached; other processes see a changed segment within this time. */
  segmentCacheMs: z.number().int().nonnegative().default(5_000),
  /** Limits on every ingest call (future timestamps, nesting depth): see docs/http-api.md. */
  ingest: IngestSettings.prefault({}),
  /** Retries, pacing per provider, how long a message may wait: see docs/dispatch.md. */
  dispatch: DispatchSettings.prefault({}),
  /** Webhook address rules and retries, paused-journey rechecks: see docs/journeys.md. */
  journeys: JourneySettings.prefault({}),
  /** How long events and messages are kept: see docs/storage.md. Nothing is deleted unless set. */
  retention: RetentionSettings.prefault({}),
  /** Liquid limits (render time, memory, length) and the partials templates may include: see docs/journeys.md. */
  templates: TemplateSettings.prefault({}),
});
export type EngineSettings = z.infer<typeof EngineSettings>;
export type EngineSettingsInput = z.input<typeof EngineSettings>;

export interface NudgeOptionsResolved extends EngineSettings {
  workspace: string;
}
