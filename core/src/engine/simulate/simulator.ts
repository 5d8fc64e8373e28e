import { DateTime, Duration } from "luxon";
import { inject, injectable } from "tsyringe";
import { NudgeError, ValidationError } from "../../errors.js";
import type { Profile } from "../../domain/profile.js";
import type { JourneyDefinition } from "../../domain/journey.js";
import type { PluginSpec } from "../../plugin.js";
import { FakeClock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { TemplateStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { EngineTokens } from "../engine-tokens.js";
import { JourneyService } from "../journeys/journey-service.js";
import { SimFactoryToken, SimSetupToken, type SimFactory, type SimInstance, type SimSetup } from "./sim-instance.js";
import type { NudgeOptionsResolved } from "../options.js";
import { resolveZone } from "../journeys/wait-time.js";
import { simulationPlugins } from "./simulated-plugins.js";
import { simulatedPerson } from "./simulated-person.js";
import { SimulationInput, type SimulateOptions, type SimulationResult } from "./simulation.js";
import { collectResult } from "./simulation-report.js";

/** Guards against a timeline that never settles (a timer that keeps failing). */
const MAX_ROUNDS = 100_000;
/** Ten years: the throwaway instance's message-log upkeep never comes due. */
const UPKEEP_NEVER = 10 * 365 * 86_400_000;

type Script = ReturnType<typeof SimulationInput.parse>;

/**
 * Runs one journey definition for one scripted person in a throwaway instance: its own store, a fake
 * clock, the live instance's channel, provider and policy plugins registered again (vendor providers
 * replaced by stand-ins that only record). Nothing of the live instance is written, nothing of it needs
 * to be started, and no webhook is called (steps get scripted answers); the templates and the journeys an
 * enter-journey step names are copied in.
 */
@injectable()
export class Simulator {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.TemplateStore) private readonly templates: TemplateStore,
    @inject(JourneyService) private readonly journeys: JourneyService,
    @inject(SimFactoryToken) private readonly createSim: SimFactory,
    @inject(SimSetupToken) private readonly setup: SimSetup,
  ) {}

  /**
   * The throwaway store: `simulate`'s option, else the host's `simulation.storage`, else a fresh one of the
   * live storage plugin's kind, made from its config (`NudgePlugin.throwaway`: memory, SQLite in memory, a
   * PostgreSQL schema of its own). The core imports no storage plugin.
   */
  private storage(options: SimulateOptions): PluginSpec {
    if (options.storage) return options.storage;
    if (this.setup.storage) return this.setup.storage();
    const live = this.setup.plugins.find((s) => s.plugin.kind === "storage");
    if (live?.plugin.throwaway) {
      // createNudge parsed this config already (so this cannot fail); only the host's spec is kept for simulations.
      return live.plugin.throwaway(live.plugin.configSchema.parse(live.config ?? {}));
    }
    throw new NudgeError(
      "NUDGE_SIMULATION_STORAGE",
      `simulate() needs a throwaway store and the storage plugin "${live?.plugin.id ?? "?"}" offers none: ` +
        "name one with createNudge({ simulation: { storage: () => storageMemory() } }), or simulate(definition, input, { storage: storageMemory() })",
    );
  }

  async run(journey: unknown, input: SimulationInput = {}, options: SimulateOptions = {}): Promise<SimulationResult> {
    const def = this.journeys.validate(journey);
    const parsed = SimulationInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("simulation", parsed.error);
    const script = parsed.data;
    const events = [...script.events].sort((a, b) => a.at - b.at);
    const clock = new FakeClock(script.start ?? events[0]?.at ?? Date.now());
    const person = simulatedPerson(this.options, script.profile, clock.now());
    const copies = await this.liveCopies(def);
    const { workspace: _ws, ...live } = this.options;
    const settings = {
      ...live,
      journeys: { ...live.journeys, webhooks: { ...live.journeys.webhooks, dryRun: true, dryRunAnswers: script.webhooks } },
      dispatch: {
        ...live.dispatch,
        // Per-second pacing runs on real time; stand-ins take no vendor limits, and neither do the host's.
        providers: {},
        // Upkeep polls providers and settles crashed sends: nothing here reports or crashes, so its timer
        // (every five minutes) would only be stepped through, thousands of times over a week-long wait.
        upkeep: { ...live.dispatch.upkeep, everyMs: UPKEEP_NEVER },
      },
    };
    const sim = await this.createSim({
      workspace: this.ws,
      plugins: [this.storage(options), ...simulationPlugins(this.setup.plugins)],
      logger: this.logger.child({ simulation: def.id }),
      clock,
      settings,
    });
    await sim.start();
    try {
      const profile = await this.seed(sim, def, person, script, copies);
      const zone = resolveZone("recipient", profile, this.options.timezone);
      const report = collectResult(sim, def.id, zone, profile.id);
      if (def.trigger.type !== "event" && !(await sim.enroll(def.id, profile.id, { source: "simulation" }))) {
        throw new NudgeError("NUDGE_SIMULATION", `the simulated person could not enter "${def.id}"`);
      }
      await sim.drain();
      for (const e of events) {
        await this.advance(sim, clock, e.at);
        await sim.track({ userId: profile.userId!, event: e.name, properties: e.properties, timestamp: e.at });
        await sim.drain();
      }
      const horizon = DateTime.fromMillis(clock.now(), { zone: "utc" }).plus(Duration.fromISO(script.horizon)).toMillis();
      await this.advance(sim, clock, horizon, () => report.settled());
      return await report.result(clock.now());
    } finally {
      await sim.stop();
    }
  }

  /**
   * What the definition takes from the live store: the stored templates it names and the journeys its
   * enter-journey steps name. Nothing is read when it names none, so a definition with its content inline
   * simulates on an instance whose store is not open (not started).
   */
  private async liveCopies(def: JourneyDefinition) {
    const templateIds = new Set<string>();
    const linked = new Set<string>();
    for (const s of def.steps) {
      if (s.type === "send") for (const t of [s.template, ...s.fallback.map((f) => f.template)]) if (t) templateIds.add(t);
      if (s.type === "enter-journey" && s.journey !== def.id) linked.add(s.journey);
    }
    const names = [...[...templateIds].map((t) => `template "${t}"`), ...[...linked].map((j) => `journey "${j}"`)].join(", ");
    try {
      const templates = await Promise.all([...templateIds].map((id) => this.templates.get(this.ws, id)));
      const journeys = linked.size === 0 ? [] : (await this.journeys.published()).filter((j) => linked.has(j.head.journeyId)).map((j) => j.version.definition);
      return { templates: templates.filter((t) => t !== null), journeys };
    } catch (e) {
      throw new NudgeError(
        "NUDGE_SIMULATION",
        `the definition uses ${names}, which simulate() reads from this instance's store, and the store could not be read ` +
          `(${e instanceof Error ? e.message : String(e)}): start() the instance first, or put the content in the steps`,
        { cause: e },
      );
    }
  }

  /** Writes the person, their segments, the templates and linked journeys into the throwaway store. */
  private async seed(sim: SimInstance, def: JourneyDefinition, person: Profile, script: Script, copies: Awaited<ReturnType<Simulator["liveCopies"]>>): Promise<Profile> {
    const now = person.createdAt;
    const saved = await sim.resolve(Tokens.ProfileStore).save(person);
    for (const segment of script.profile.segments) await sim.resolve(Tokens.SegmentStore).setMember(this.ws, segment, saved.id, true, now);
    for (const t of copies.templates) await sim.resolve(Tokens.TemplateStore).put(this.ws, t, now);
    for (const linked of copies.journeys) {
      await sim.journeys.put(linked);
      await sim.journeys.publish(linked.id);
    }
    await sim.journeys.put(def);
    await sim.journeys.publish(def.id);
    return saved;
  }

  /**
   * Moves the clock to `to`, firing every timer due on the way, in order. With `settled`, stops as soon
   * as nothing is left to happen (the clock stays at the last thing that did).
   */
  private async advance(sim: SimInstance, clock: FakeClock, to: number, settled?: () => Promise<boolean>): Promise<void> {
    const timers = sim.resolve(Tokens.TimerStore);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (settled && (await settled())) return;
      const next = await timers.nextDueAt(this.ws);
      if (next === null || next > to) break;
      // A timer still due is leased by a run that failed: step a second at a time until its lease ends.
      clock.set(next > clock.now() ? next : Math.min(to, clock.now() + 1000));
      await sim.drain();
      if (clock.now() >= to) break;
    }
    if (to > clock.now() && Number.isFinite(to)) clock.set(to);
    await sim.drain();
  }
}
