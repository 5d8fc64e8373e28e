import type { IdentifyInput, TrackInput } from "../domain/event.js";

/** What a trigger source may do with the instance it runs in. */
export interface TriggerSink {
  workspace: string;
  track(input: TrackInput): Promise<void>;
  identify(input: IdentifyInput): Promise<void>;
  /**
   * Enrols one profile into a published journey, subject to its entry rules. `context` is visible to
   * templates as `vars`; `options.key` (e.g. a schedule occurrence) makes a repeated call enrol once.
   */
  enroll(journeyId: string, profileId: string, context?: Record<string, unknown>, options?: { key?: string }): Promise<boolean>;
}

/** A source of triggers outside HTTP ingest: a schedule, a message bus, a webhook. */
export interface TriggerSource {
  readonly id: string;
  start(sink: TriggerSink): Promise<void>;
  stop(): Promise<void>;
}
