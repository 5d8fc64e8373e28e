import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { PluginSpec } from "../../plugin.js";
import { token, type Token } from "../../tokens.js";
import type { Enrollment } from "../../domain/journey.js";
import type { Hooks } from "../hooks.js";
import type { EngineSettingsInput } from "../options.js";
import type { JourneyService } from "../journeys/journey-service.js";
import type { Accepted } from "../ingest/ingest-service.js";

/** What a simulation drives of the throwaway instance it makes (a Nudge, seen without importing it). */
export interface SimInstance {
  readonly workspace: string;
  readonly hooks: Hooks;
  readonly journeys: JourneyService;
  start(): Promise<void>;
  stop(): Promise<void>;
  drain(): Promise<void>;
  track(input: unknown): Promise<Accepted>;
  enroll(journeyId: string, profileId: string, options?: { key?: string; vars?: Record<string, unknown>; source?: string }): Promise<Enrollment | null>;
  resolve<T>(token: Token<T>): T;
}

/** Makes the throwaway instance; create-nudge registers it, so the simulator does not import create-nudge. */
export type SimFactory = (options: { workspace: string; plugins: PluginSpec[]; logger: Logger; clock: Clock; settings: EngineSettingsInput }) => Promise<SimInstance>;

/** How `simulate()` makes its throwaway instance. */
export const SimFactoryToken = token<SimFactory>("SimFactory");

/** The host's throwaway store for simulations (`createNudge({ simulation: { storage } })`); null when it names none. */
export const SimStorageToken = token<{ storage: (() => PluginSpec) | null }>("SimStorage");
