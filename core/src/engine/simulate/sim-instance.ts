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

/** What a simulation copies of the live instance's assembly, as the host gave it to `createNudge`. */
export interface SimSetup {
  /** The host's throwaway store (`createNudge({ simulation: { storage } })`); null when it names none. */
  storage: (() => PluginSpec) | null;
  /** The live instance's plugins, unparsed: the throwaway instance registers its channels, providers and policies again. */
  plugins: readonly PluginSpec[];
}

export const SimSetupToken = token<SimSetup>("SimSetup");
