import { inject, injectable } from "tsyringe";
import { NudgeError, PluginLifecycleError, StoppedError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import type { JobQueue } from "../ports/job-queue.js";
import type { Logger } from "../ports/logger.js";
import type { TriggerSource } from "../ports/trigger-source.js";
import type { SandboxOutbox } from "../sandbox/sandbox-outbox.js";
import { Tokens, type Token } from "../tokens.js";
import type { Hooks } from "./hooks.js";
import { IngestService, type Accepted } from "./ingest/ingest-service.js";
import { JourneyService } from "./journeys/journey-service.js";
import { JourneyTriggers } from "./journeys/journey-triggers.js";
import { Simulator } from "./simulate/simulator.js";
import type { SimulateOptions, SimulationInput, SimulationResult } from "./simulate/simulation.js";
import type { Enrollment } from "../domain/journey.js";
import { ProfileService } from "./profiles/profile-service.js";
import { SegmentService } from "./segments/segment-service.js";
import { TimerService } from "./timers/timer-service.js";
import { RetentionService } from "./retention/retention-service.js";
import { Dispatcher } from "./dispatch/dispatcher.js";
import { DeliveryReports } from "./dispatch/delivery-reports.js";
import { DirectSender } from "./dispatch/direct-send.js";
import { CostReport, type CostQuery, type CostSummary } from "./dispatch/cost-report.js";
import type { Message } from "../domain/message.js";
import type { NudgeEvent } from "../domain/event.js";
import type { PluginRuntime } from "./plugin-runtime.js";
import { PluginRuntimeToken } from "./engine-tokens.js";
import type { InstanceContainer } from "../container/plugin-context.js";
import { InstanceContainerToken } from "./engine-tokens.js";

type State = "created" | "starting" | "running" | "stopping" | "stopped";

/**
 * One Nudge instance: one workspace, its own container, plugins and queue. Create it with
 * `createNudge()`, then `start()`; `stop()` drains in-flight work and closes plugins in reverse order.
 */
@injectable()
export class Nudge {
  private state: State = "created";
  private stopping: Promise<void> | null = null;

  constructor(
    @inject(Tokens.Workspace) readonly workspace: string,
    @inject(Tokens.Clock) readonly clock: Clock,
    @inject(Tokens.Logger) readonly logger: Logger,
    @inject(Tokens.Hooks) readonly hooks: Hooks,
    @inject(Tokens.SandboxOutbox) readonly sandbox: SandboxOutbox,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(IngestService) private readonly ingest: IngestService,
    @inject(JourneyService) readonly journeys: JourneyService,
    @inject(JourneyTriggers) private readonly triggers: JourneyTriggers,
    @inject(ProfileService) readonly profiles: ProfileService,
    @inject(TimerService) private readonly timers: TimerService,
    @inject(Dispatcher) readonly dispatcher: Dispatcher,
    @inject(DeliveryReports) readonly deliveryReports: DeliveryReports,
    @inject(PluginRuntimeToken) private readonly plugins: PluginRuntime,
    @inject(InstanceContainerToken) private readonly container: InstanceContainer,
    /** Segment definitions, members, audience estimates (docs/segments.md). */
    @inject(SegmentService) readonly segments: SegmentService,
    @inject(DirectSender) private readonly direct: DirectSender,
    @inject(CostReport) private readonly costs: CostReport,
    @inject(RetentionService) private readonly retention: RetentionService,
    @inject(Simulator) private readonly simulator: Simulator,
  ) {}

  /**
   * Runs a journey definition against a scripted timeline (`{ profile, events: [{ at, name, properties }] }`)
   * in a throwaway instance with a fake clock and the channels in sandbox mode: every step, message,
   * cost and policy decision, with UTC and recipient-local times. Nothing of this instance is written.
   */
  async simulate(journey: unknown, input?: SimulationInput, options?: SimulateOptions): Promise<SimulationResult> {
    return this.simulator.run(journey, input, options);
  }

  /**
   * Enrols a person into a published journey, subject to its entry rules. `key` (an occurrence, a
   * request id) makes a repeated call enrol once; `vars` are visible to templates as `vars`.
   */
  async enroll(journeyId: string, profileId: string, options: { key?: string; vars?: Record<string, unknown>; source?: string } = {}): Promise<Enrollment | null> {
    this.assertRunning();
    return this.triggers.fromSource(options.source ?? "api", journeyId, profileId, options.vars, options.key);
  }

  /** Sends one message outside journeys (receipts, one-time codes) through the dispatch pipeline. */
  async send(input: unknown): Promise<Message> {
    this.assertRunning();
    return this.direct.send(input);
  }

  /** Reports from the message log: `stats.cost({ journeyId?, from?, to? })` gives spend and cost per conversion. */
  get stats(): { cost(query?: CostQuery): Promise<CostSummary> } {
    return { cost: (query) => this.costs.cost(query) };
  }

  /** Records an event. Resolves once it is stored; journeys react asynchronously (see `drain`). */
  async track(input: unknown): Promise<Accepted> {
    this.assertRunning();
    return this.ingest.track(input);
  }

  /** Records who a person is and their traits; links an anonymousId to a userId. */
  async identify(input: unknown): Promise<Accepted> {
    this.assertRunning();
    return this.ingest.identify(input, this.applyTraits);
  }

  /**
   * Records many calls at once: `[{ type: "track", ... }, { type: "identify", ... }]`. All or nothing:
   * one invalid item refuses the whole batch with a ValidationError naming each bad field by index.
   * Each person's items apply in order; the events are stored in one write. One result per item.
   */
  async batch(items: readonly unknown[]): Promise<Accepted[]> {
    this.assertRunning();
    return this.ingest.batch(items, this.applyTraits);
  }

  private readonly applyTraits = async (profileId: string, event: NudgeEvent): Promise<void> => {
    const props = event.properties as { traits: Record<string, unknown>; traitsOnce: Record<string, unknown> };
    await this.profiles.applyTraits(profileId, props.traits, props.traitsOnce, event.timestamp);
  };

  /** Reads a port of this instance (adapters use this; plugins get a PluginContext instead). */
  resolve<T>(token: Token<T>): T {
    return this.container.resolve(token);
  }

  get running(): boolean {
    return this.state === "running";
  }

  async start(): Promise<void> {
    if (this.state !== "created") throw new NudgeError("NUDGE_ALREADY_STARTED", `Nudge "${this.workspace}" was already started`);
    this.state = "starting";
    try {
      await this.plugins.initAll();
      await this.queue.start();
      this.state = "running";
      await this.replay();
      this.timers.start();
      await this.retention.schedule();
      for (const source of this.container.resolveAll(Tokens.TriggerSource)) await this.startSource(source);
      this.logger.info("nudge started");
    } catch (e) {
      this.state = "stopped";
      await this.plugins.closeAll();
      throw e;
    }
  }

  /** Stops taking work, lets in-flight work finish, closes plugins in reverse order. Safe to call twice. */
  stop(): Promise<void> {
    if (this.state === "created") this.state = "stopped";
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  /**
   * Waits until nothing is queued or running and no timer is due: in tests, call it after `track`
   * or after moving a FakeClock.
   */
  async drain(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      await this.queue.onIdle();
      const claimed = await this.timers.pollOnce();
      const stats = await this.queue.stats();
      if (claimed === 0 && stats.waiting === 0 && stats.active === 0) return;
    }
    throw new NudgeError("NUDGE_DRAIN", "drain did not settle after 10,000 rounds (a journey loops?)");
  }

  private async doStop(): Promise<void> {
    const wasRunning = this.state === "running";
    this.state = "stopping";
    this.timers.stop();
    if (wasRunning) {
      for (const source of this.container.resolveAll(Tokens.TriggerSource).reverse()) {
        await source.stop().catch((err: unknown) => this.logger.error({ err, source: source.id }, "trigger source failed to stop"));
      }
      await this.queue.close();
    }
    await this.plugins.closeAll();
    this.state = "stopped";
    this.logger.info("nudge stopped");
  }

  private async replay(): Promise<void> {
    // Events accepted before a crash but never processed; each pass processes what it queued.
    for (let n = await this.ingest.replayUnprocessed(); n > 0; n = await this.ingest.replayUnprocessed()) {
      await this.queue.onIdle();
    }
  }

  private async startSource(source: TriggerSource): Promise<void> {
    try {
      await source.start({
        workspace: this.workspace,
        track: async (input) => void (await this.track(input)),
        identify: async (input) => void (await this.identify(input)),
        enroll: async (journeyId, profileId, context, options) =>
          (await this.triggers.fromSource(source.id, journeyId, profileId, context, options?.key)) !== null,
      });
    } catch (e) {
      throw new PluginLifecycleError(source.id, "init", e);
    }
  }

  private assertRunning(): void {
    if (this.state === "stopping" || this.state === "stopped") throw new StoppedError(this.workspace);
    if (this.state !== "running") throw new NudgeError("NUDGE_NOT_STARTED", `Nudge "${this.workspace}" is not started: call start() first`);
  }
}
