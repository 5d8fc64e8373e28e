import { DateTime, Duration } from "luxon";
import { inject, injectable } from "tsyringe";
import type { InstanceContainer } from "../../container/plugin-context.js";
import { NudgeError, ValidationError } from "../../errors.js";
import { newProfile, type Profile } from "../../domain/profile.js";
import type { JourneyDefinition } from "../../domain/journey.js";
import type { PluginSpec } from "../../plugin.js";
import { FakeClock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { TemplateStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken, InstanceContainerToken, EngineTokens } from "../engine-tokens.js";
import { JourneyService } from "../journeys/journey-service.js";
import { SimFactoryToken, SimStorageToken, type SimFactory, type SimInstance } from "./sim-instance.js";
import type { NudgeOptionsResolved } from "../options.js";
import { resolveZone } from "../journeys/wait-time.js";
import { simulatedProviders } from "./simulated-channels.js";
import { SimulationInput, type SimulateOptions, type SimulationResult } from "./simulation.js";
import { collectResult } from "./simulation-report.js";

/** Guards against a timeline that never settles (a timer that keeps failing). */
const MAX_ROUNDS = 100_000;

/**
 * Runs one journey definition for one scripted person in a throwaway instance: its own store, a fake
 * clock, the live channels in sandbox mode and the live policies. Nothing of the live instance is
 * written and no webhook is called (steps get scripted answers); templates and the journeys an
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
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(InstanceContainerToken) private readonly container: InstanceContainer,
    @inject(SimFactoryToken) private readonly createSim: SimFactory,
    @inject(SimStorageToken) private readonly host: { storage: (() => PluginSpec) | null },
  ) {}

  /** The throwaway store: the core imports no storage plugin, so the host names one. */
  private storage(): PluginSpec {
    if (this.host.storage) return this.host.storage();
    throw new NudgeError(
      "NUDGE_SIMULATION_STORAGE",
      "simulate() needs a throwaway store: createNudge({ simulation: { storage: () => storageMemory() } }), or simulate(definition, input, { storage: storageMemory() })",
    );
  }

  async run(journey: unknown, input: SimulationInput = {}, options: SimulateOptions = {}): Promise<SimulationResult> {
    const def = this.journeys.validate(journey);
    const parsed = SimulationInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("simulation", parsed.error);
    const script = parsed.data;
    const events = [...script.events].sort((a, b) => a.at - b.at);
    const clock = new FakeClock(script.start ?? events[0]?.at ?? Date.now());
    const { workspace: _ws, ...live } = this.options;
    const settings = { ...live, journeys: { ...live.journeys, webhooks: { ...live.journeys.webhooks, dryRun: true, dryRunAnswers: script.webhooks } } };
    const sim = await this.createSim({
      workspace: this.ws,
      plugins: [
        options.storage ?? this.storage(),
        simulatedProviders({ channels: this.channels.ids().map((id) => this.channels.get(id)!), policies: this.container.resolveAll(Tokens.Policy) }),
      ],
      logger: this.logger.child({ simulation: def.id }),
      clock,
      settings,
    });
    await sim.start();
    try {
      const profile = await this.seed(sim, def, script.profile, clock.now());
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

  /** Writes the person, their segments, the templates and linked journeys into the throwaway store. */
  private async seed(sim: SimInstance, def: JourneyDefinition, input: ReturnType<typeof SimulationInput.parse>["profile"], now: number): Promise<Profile> {
    const profile: Profile = {
      ...newProfile(this.ws, `simulated-${input.userId}`, now),
      userId: input.userId,
      traits: input.traits,
      contacts: input.contacts,
      timezone: input.timezone ?? null,
      locale: input.locale ?? null,
      subscriptions: input.subscriptions.map((s) => ({ ...s, at: now, source: "simulation" })),
      nightAdConsent: input.nightAdConsent === undefined ? null : { granted: input.nightAdConsent, at: now, source: "simulation" },
    };
    const saved = await sim.resolve(Tokens.ProfileStore).save(profile);
    for (const segment of input.segments) await sim.resolve(Tokens.SegmentStore).setMember(this.ws, segment, saved.id, true, now);
    const templateIds = new Set<string>();
    const linked = new Set<string>();
    for (const s of def.steps) {
      if (s.type === "send") for (const t of [s.template, ...s.fallback.map((f) => f.template)]) if (t) templateIds.add(t);
      if (s.type === "enter-journey" && s.journey !== def.id) linked.add(s.journey);
    }
    for (const id of templateIds) {
      const t = await this.templates.get(this.ws, id);
      if (t) await sim.resolve(Tokens.TemplateStore).put(this.ws, t, now);
    }
    for (const live of await this.journeys.published()) {
      if (!linked.has(live.head.journeyId)) continue;
      await sim.journeys.put(live.version.definition);
      await sim.journeys.publish(live.head.journeyId);
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
