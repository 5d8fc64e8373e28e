import { inject, injectable } from "tsyringe";
import { NudgeError, StoppedError } from "../errors.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { TriggerSink, TriggerSource } from "../ports/trigger-source.js";
import type { SandboxOutbox } from "../sandbox/sandbox-outbox.js";
import type { LinkService } from "../links/link-service.js";
import { Tokens, type Token } from "../tokens.js";
import type { Hooks } from "./hooks.js";
import { IngestService, type Accepted } from "./ingest/ingest-service.js";
import { JourneyService } from "./journeys/journey-service.js";
import { JourneyTriggers } from "./journeys/journey-triggers.js";
import { Simulator } from "./simulate/simulator.js";
import type { SimulateOptions, SimulationInput, SimulationResult } from "./simulate/simulation.js";
import type { Enrollment, JourneyDefinitionInput } from "../domain/journey.js";
import type { BatchCall, CatalogOf, IdentifyCall, TrackCall } from "./ingest/typed-calls.js";
import { ProfileService } from "./profiles/profile-service.js";
import { SegmentService } from "./segments/segment-service.js";
import { DirectSender, type SendRequestInput } from "./dispatch/direct-send.js";
import { CostReport, type CostQuery, type CostSummary } from "./dispatch/cost-report.js";
import type { Message } from "../domain/message.js";
import type { InstanceContainer } from "../container/plugin-context.js";
import { InstanceContainerToken, EngineTokens } from "./engine-tokens.js";
import { NudgeLifecycle } from "./nudge-lifecycle.js";
import { TemplateLibrary } from "./facade/template-library.js";
import { MessageReader } from "./facade/message-reader.js";
import { WebhookInbox } from "./facade/webhook-inbox.js";
import { SystemStatus } from "./facade/system-status.js";

type State = "created" | "starting" | "running" | "stopping" | "stopped";

/**
 * One Nudge instance: one workspace, its own container, plugins and queue. Create it with
 * `createNudge()`, then `start()`; `stop()` drains in-flight work and closes plugins in reverse order.
 * Its services (`profiles`, `journeys`, `segments`, `templates`, `messages`, `webhooks`, `system`) are
 * what adapters and hosts use; the engine behind them is private.
 *
 * `E` is the host's event catalog (`createNudge<MyEvents>()`): it types `track` and `batch`. Without one,
 * any event name and any properties are accepted. Every call is still parsed with zod.
 */
@injectable()
export class Nudge<E extends object = object> {
  /**
   * Type-only (never set): the event catalog `track` and `batch` are checked against. The methods read it
   * through their `this` type rather than naming `E` in a parameter, so an instance made with a catalog is
   * still a `Nudge` wherever one is taken (routers, plugin helpers).
   */
  declare readonly "~events"?: E;
  private state: State = "created";
  private stopping: Promise<void> | null = null;

  constructor(
    @inject(Tokens.Workspace) readonly workspace: string,
    @inject(Tokens.Clock) readonly clock: Clock,
    @inject(Tokens.Logger) readonly logger: Logger,
    @inject(EngineTokens.Hooks) readonly hooks: Hooks,
    @inject(Tokens.SandboxOutbox) readonly sandbox: SandboxOutbox,
    @inject(IngestService) private readonly ingest: IngestService,
    @inject(NudgeLifecycle) private readonly lifecycle: NudgeLifecycle,
    @inject(InstanceContainerToken) private readonly container: InstanceContainer,
  ) {}

  /** Profiles: lookup, subscriptions, the customer view, erasure (docs/profiles.md). */
  get profiles(): ProfileService {
    return this.service(ProfileService);
  }

  /** Journey definitions, versions and publishing (docs/journeys.md). */
  get journeys(): JourneyService {
    return this.service(JourneyService);
  }

  /** Segment definitions, members, audience estimates (docs/segments.md). */
  get segments(): SegmentService {
    return this.service(SegmentService);
  }

  /** Stored templates, checked on save, and previews. */
  get templates(): TemplateLibrary {
    return this.service(TemplateLibrary);
  }

  /** The message log. */
  get messages(): MessageReader {
    return this.service(MessageReader);
  }

  /** Provider callbacks: delivery reports and opt-outs, verified and applied. */
  get webhooks(): WebhookInbox {
    return this.service(WebhookInbox);
  }

  /** Signed click, open and unsubscribe links. */
  get links(): LinkService {
    return this.container.resolve(Tokens.Links);
  }

  /** Storage health and queue depth, for probes and metrics. */
  get system(): SystemStatus {
    return this.service(SystemStatus);
  }

  /**
   * Runs a journey definition against a scripted timeline (`{ profile, events: [{ at, name, properties }] }`)
   * in a throwaway instance with a fake clock and the channels in sandbox mode: every step, message,
   * cost and policy decision, with UTC and recipient-local times. Nothing of this instance is written.
   */
  async simulate(journey: JourneyDefinitionInput, input?: SimulationInput, options?: SimulateOptions): Promise<SimulationResult> {
    return this.service(Simulator).run(journey, input, options);
  }

  /**
   * Enrols a person into a published journey, subject to its entry rules. `key` (an occurrence, a
   * request id) makes a repeated call enrol once; `vars` are visible to templates as `vars`.
   */
  async enroll(journeyId: string, profileId: string, options: { key?: string; vars?: Record<string, unknown>; source?: string } = {}): Promise<Enrollment | null> {
    this.assertRunning();
    return this.service(JourneyTriggers).fromSource(options.source ?? "api", journeyId, profileId, options.vars, options.key);
  }

  /** Sends one message outside journeys (receipts, one-time codes) through the dispatch pipeline. */
  async send(input: SendRequestInput): Promise<Message> {
    this.assertRunning();
    return this.service(DirectSender).send(input);
  }

  /** Reports from the message log: `stats.cost({ journeyId?, from?, to? })` gives spend and cost per conversion. */
  get stats(): { cost(query?: CostQuery): Promise<CostSummary> } {
    const costs = this.service(CostReport);
    return { cost: (query) => costs.cost(query) };
  }

  /** Records an event. Resolves once it is stored; journeys react asynchronously (see `drain`). */
  async track<N extends Nudge>(this: N, input: TrackCall<CatalogOf<N>>): Promise<Accepted> {
    this.assertRunning();
    return this.ingest.track(input);
  }

  /** Records who a person is and their traits; links an anonymousId to a userId. */
  async identify(input: IdentifyCall): Promise<Accepted> {
    this.assertRunning();
    return this.ingest.identify(input);
  }

  /**
   * Records many calls at once: `[{ type: "track", ... }, { type: "identify", ... }]`. All or nothing:
   * one invalid item refuses the whole batch with a ValidationError naming each bad field by index.
   * Each person's items apply in order; the events are stored in one write. One result per item.
   */
  async batch<N extends Nudge>(this: N, items: readonly BatchCall<CatalogOf<N>>[]): Promise<Accepted[]> {
    this.assertRunning();
    return this.ingest.batch(items);
  }

  /** Reads a port of this instance (its stores, queue, clock ...): for tests and hosts that need a plugin's port. */
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
      await this.lifecycle.start(
        (source) => this.sinkFor(source),
        () => void (this.state = "running"),
      );
      this.logger.info("nudge started");
    } catch (e) {
      this.state = "stopped";
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
  drain(): Promise<void> {
    return this.lifecycle.drain();
  }

  private async doStop(): Promise<void> {
    const wasRunning = this.state === "running";
    this.state = "stopping";
    await this.lifecycle.stop(wasRunning);
    this.state = "stopped";
    this.logger.info("nudge stopped");
  }

  private sinkFor(source: TriggerSource): TriggerSink {
    return {
      workspace: this.workspace,
      // A trigger source's events are not in the host's catalog: they take the untyped path (zod still parses them).
      track: async (input) => {
        this.assertRunning();
        await this.ingest.track(input);
      },
      identify: async (input) => void (await this.identify(input)),
      enroll: async (journeyId, profileId, context, options) =>
        (await this.service(JourneyTriggers).fromSource(source.id, journeyId, profileId, context, options?.key)) !== null,
    };
  }

  /** An engine service of this instance (container-scoped: one per instance). */
  private service<T>(cls: abstract new (...args: never[]) => T): T {
    return this.container.container.resolve(cls as never);
  }

  private assertRunning(): void {
    if (this.state === "stopping" || this.state === "stopped") throw new StoppedError(this.workspace);
    if (this.state !== "running") throw new NudgeError("NUDGE_NOT_STARTED", `Nudge "${this.workspace}" is not started: call start() first`);
  }
}
