import "reflect-metadata";
import { container as rootContainer, Lifecycle } from "tsyringe";
import { BootError, PluginConfigError, PluginLifecycleError, issuesFromZod } from "../errors.js";
import { InstanceContainer, type Constructor } from "../container/plugin-context.js";
import { assertInjectable } from "../container/check-injection.js";
import type { PluginSpec } from "../plugin.js";
import { SystemClock, type Clock } from "../ports/clock.js";
import { createLogger, REDACT_PATHS, type Logger } from "../ports/logger.js";
import type { Policy } from "../ports/policy.js";
import { SandboxOutbox } from "../sandbox/sandbox-outbox.js";
import { SandboxProvider, SandboxProviderConfig } from "../sandbox/sandbox-provider.js";
import { TemplateRenderer } from "../template/renderer.js";
import { LinkService, LinkSettings } from "../links/link-service.js";
import { StoragePorts, Tokens, tokenInfo, type Token } from "../tokens.js";
import { ChannelRegistry } from "./channel-registry.js";
import { ConsentPolicy } from "./dispatch/consent-policy.js";
import { Dispatcher, MESSAGE_RESUME_TIMER } from "./dispatch/dispatcher.js";
import { MessageRecovery } from "./dispatch/message-recovery.js";
import { DeliveryReports } from "./dispatch/delivery-reports.js";
import { DISPATCH_SERVICES } from "./dispatch/dispatch-services.js";
import { SimFactoryToken, SimSetupToken } from "./simulate/sim-instance.js";
import { ChannelRegistryToken, InstanceContainerToken, PluginRuntimeToken, PoliciesToken, EngineTokens, SEGMENT_CHANGED_JOB } from "./engine-tokens.js";
import { Hooks } from "./hooks.js";
import { IngestService } from "./ingest/ingest-service.js";
import { EventHandoff, PROCESS_EVENT_JOB } from "./ingest/event-handoff.js";
import { RecentEvents } from "./ingest/recent-events.js";
import { EventInterest } from "./ingest/event-interest.js";
import { JourneyService } from "./journeys/journey-service.js";
import { JOURNEY_SERVICES, STEP_HANDLERS, wireJourneys } from "./journeys/wire-journeys.js";
import { StepHandlers } from "./journeys/steps/step-registry.js";
import { Nudge } from "./nudge.js";
import { NudgeLifecycle } from "./nudge-lifecycle.js";
import { EventPipeline } from "./pipeline/event-pipeline.js";
import { TemplateLibrary } from "./facade/template-library.js";
import { MessageReader } from "./facade/message-reader.js";
import { WebhookInbox } from "./facade/webhook-inbox.js";
import { SystemStatus } from "./facade/system-status.js";
import { EngineSettings, type EngineSettingsInput, type NudgeOptionsResolved } from "./options.js";
import { PluginRuntime } from "./plugin-runtime.js";
import { ProfileService } from "./profiles/profile-service.js";
import { PROFILE_SERVICES } from "./profiles/profile-services.js";
import { SEGMENT_SERVICES, wireSegments } from "./segments/wire-segments.js";
import { InProcessQueue } from "./queue/in-process-queue.js";
import { FIRE_TIMER_JOB, TimerService } from "./timers/timer-service.js";
import { RETENTION_TIMER, RetentionService } from "./retention/retention-service.js";
import { DeliveryUpkeep, UPKEEP_TIMER } from "./dispatch/delivery-upkeep.js";

export interface NudgeOptions {
  /** The workspace every record of this instance belongs to. */
  workspace: string;
  plugins: PluginSpec[];
  logger?: Logger;
  clock?: Clock;
  settings?: EngineSettingsInput;
  /** Click-tracking and unsubscribe links; without it, tokens are signed with a per-process key. */
  links?: LinkSettings;
  /**
   * `simulate()`'s throwaway store, made anew for each simulation, e.g. `{ storage: () => storageMemory() }`
   * (`simulate`'s own `storage` option wins). Optional: without it each simulation takes a new store of the
   * storage plugin's own kind (storage-memory: a new one; storage-sqlite: in memory; storage-postgres: a
   * schema of its own on the same database, dropped when the simulation ends). Name one to keep simulations
   * off that server, or for a storage plugin that offers no throwaway store.
   */
  simulation?: { storage: () => PluginSpec };
}

const ENGINE_SERVICES: Constructor<unknown>[] = [
  RecentEvents,
  EventInterest,
  ...PROFILE_SERVICES,
  ...SEGMENT_SERVICES,
  ProfileService,
  EventHandoff,
  IngestService,
  JourneyService,
  ...DISPATCH_SERVICES,
  Dispatcher,
  DeliveryReports,
  DeliveryUpkeep,
  ...JOURNEY_SERVICES,
  TimerService,
  RetentionService,
  EventPipeline,
  NudgeLifecycle,
  TemplateLibrary,
  MessageReader,
  WebhookInbox,
  SystemStatus,
  Nudge,
];

/**
 * Assembles one Nudge instance in its own child container: parses every plugin's config, registers
 * plugins in order, checks the assembly (duplicate ids, ports claimed twice, missing ports), then wires
 * the engine. No I/O happens here; `start()` initialises plugins. `E`, the host's event catalog
 * (`createNudge<MyEvents>(...)`), types `track` and `batch`; without it they take any event.
 */
export async function createNudge<E extends object = object>(options: NudgeOptions): Promise<Nudge<E>> {
  if (typeof options.workspace !== "string" || !/^[A-Za-z0-9_.-]{1,100}$/.test(options.workspace)) {
    throw new BootError("NUDGE_BAD_WORKSPACE", `workspace must be 1–100 letters, digits, _ . - (got ${JSON.stringify(options.workspace)})`);
  }
  const settings = EngineSettings.safeParse(options.settings ?? {});
  if (!settings.success) throw new PluginConfigError("core", issuesFromZod(settings.error, "settings"));
  const links = options.links === undefined ? null : LinkSettings.safeParse(options.links);
  if (links && !links.success) throw new PluginConfigError("core", issuesFromZod(links.error, "links"));
  const resolved: NudgeOptionsResolved = { ...settings.data, workspace: options.workspace };

  // The host's own logger gets the same redaction as ours: secrets and personal data never reach a log line.
  const logger = (options.logger ?? createLogger()).child({ workspace: options.workspace }, { redact: { paths: REDACT_PATHS, censor: "[redacted]" } });
  const clock = options.clock ?? new SystemClock();
  const child = rootContainer.createChildContainer();
  const ic = new InstanceContainer(child, options.workspace, logger, clock, resolved.timezone);

  const core = "core";
  ic.registerInstance(core, Tokens.Workspace, options.workspace);
  ic.registerInstance(core, EngineTokens.Options, resolved);
  ic.registerInstance(core, Tokens.Clock, clock);
  ic.registerInstance(core, Tokens.Logger, logger);
  ic.registerInstance(core, EngineTokens.Hooks, new Hooks());
  ic.registerInstance(core, Tokens.SandboxOutbox, new SandboxOutbox());
  const renderer = new TemplateRenderer(resolved.templates);
  const partialIssues = renderer.checkPartials();
  if (partialIssues.length > 0) throw new PluginConfigError("core", partialIssues);
  ic.registerInstance(core, EngineTokens.TemplateRenderer, renderer);
  ic.registerInstance(core, Tokens.Links, new LinkService(options.workspace, links?.data ?? null));
  if (!links) logger.warn("no links settings: click and unsubscribe links are signed with a per-process key");

  // Parse every config first: the host sees all bad configs' first failure before anything registers.
  const runtime = new PluginRuntime(logger);
  const seen = new Map<string, number>();
  const parsed = options.plugins.map((spec, index) => {
    const plugin = spec?.plugin;
    if (!plugin || typeof plugin.id !== "string" || typeof plugin.register !== "function") {
      throw new BootError("NUDGE_BAD_PLUGIN", `plugins[${index}] is not a plugin (use a factory made by definePlugin)`);
    }
    // Providers are keyed by channel and id: solapi's SMS and Kakao plugins may both be "solapi".
    const key = plugin.kind === "provider" && plugin.channel ? `${plugin.channel}/${plugin.id}` : plugin.id;
    if (seen.has(key)) {
      throw new BootError("NUDGE_DUPLICATE_PLUGIN", `plugin "${key}" is listed twice (plugins[${seen.get(key)}] and plugins[${index}])`, {
        pluginId: key,
      });
    }
    seen.set(key, index);
    const result = plugin.configSchema.safeParse(spec.config ?? {});
    if (!result.success) throw new PluginConfigError(plugin.id, issuesFromZod(result.error), result.error);
    return { plugin, config: result.data as unknown };
  });

  for (const { plugin, config } of parsed) {
    const ctx = ic.contextFor(plugin.kind === "provider" && plugin.channel ? `${plugin.channel}/${plugin.id}` : plugin.id);
    try {
      plugin.register(ctx, config);
    } catch (e) {
      if (e instanceof BootError) throw e;
      throw new PluginLifecycleError(plugin.id, "register", e);
    }
    runtime.add(plugin, config, ctx);
  }

  // Assembly checks: what plugins require, and what the engine requires.
  for (const { plugin } of parsed) {
    for (const t of plugin.requires ?? []) {
      if (!ic.isRegistered(t)) {
        throw new BootError("NUDGE_MISSING_PORT", `plugin "${plugin.id}" requires ${tokenInfo(t).name}, which no plugin provides`, {
          pluginId: plugin.id,
          port: tokenInfo(t).name,
        });
      }
    }
  }
  const missing = StoragePorts.filter((t) => !ic.isRegistered(t)).map((t) => tokenInfo(t).name);
  if (missing.length > 0) {
    throw new BootError(
      "NUDGE_MISSING_PORT",
      `no plugin provides ${missing.join(", ")}: add a storage plugin (storageSqlite(), storagePostgres() or storageMemory())`,
      { ports: missing },
    );
  }
  if (!ic.isRegistered(Tokens.JobQueue)) {
    ic.registerInstance(core, Tokens.JobQueue, new InProcessQueue(logger, { concurrency: resolved.concurrency, maxWaiting: resolved.maxQueued }));
  }

  const outbox = ic.resolve(Tokens.SandboxOutbox);
  const providerOwners = ic.ownersOf(Tokens.Provider);
  ic.providerSets.bind(
    ic.resolveAll(Tokens.Provider).map((provider, i) => ({ provider, pluginId: providerOwners[i] ?? "unknown" })),
    (kind) => new SandboxProvider(kind, SandboxProviderConfig.parse({}), outbox, clock),
    logger,
  );
  const channels = ic.resolveAll(Tokens.Channel);
  ic.registerInstance(core, ChannelRegistryToken, new ChannelRegistry(channels));
  const policies = sortPolicies([new ConsentPolicy(), ...ic.resolveAll(Tokens.Policy)]);
  // A policy's config that names a channel is checked against it here: a wrong field fails the boot, not every send.
  for (const p of policies) p.bindChannels?.(channels);
  ic.registerInstance(core, PoliciesToken, policies);
  ic.registerInstance(core, PluginRuntimeToken, runtime);
  ic.registerInstance(core, InstanceContainerToken, ic);
  ic.registerInstance(core, SimFactoryToken, (o) => createNudge(o));
  ic.registerInstance(core, SimSetupToken, { storage: options.simulation?.storage ?? null, plugins: [...options.plugins] });
  for (const cls of ENGINE_SERVICES) {
    assertInjectable(cls);
    child.register(cls as Constructor<unknown>, { useClass: cls as never }, { lifecycle: Lifecycle.ContainerScoped });
  }
  // The step handlers again under one token, so the step registry takes them as a list.
  for (const cls of STEP_HANDLERS) child.register(StepHandlers, { useToken: cls as never });

  const nudge = child.resolve(Nudge);
  wireJobs(ic);
  // The catalog is a compile-time view only: every call is parsed at run time whatever `E` says.
  return nudge as Nudge<E>;
}

function sortPolicies(policies: Policy[]): Policy[] {
  const ids = new Set<string>();
  for (const p of policies) {
    if (ids.has(p.id)) throw new BootError("NUDGE_DUPLICATE_POLICY", `two policies have the id "${p.id}"`, { policy: p.id });
    ids.add(p.id);
  }
  return [...policies].sort((a, b) => a.order - b.order);
}

function wireJobs(ic: InstanceContainer): void {
  const resolve = <T>(t: Token<T> | Constructor<T>): T => ic.container.resolve(t as never);
  const queue = resolve(Tokens.JobQueue);
  const timers = resolve(TimerService);
  const recovery = resolve(MessageRecovery);
  // The event pipeline (docs/architecture.md): an accepted event's job runs segments, then journeys.
  const pipeline = resolve(EventPipeline);
  queue.process(PROCESS_EVENT_JOB, (data) => pipeline.processEvent(data));
  queue.process(SEGMENT_CHANGED_JOB, (data) => pipeline.segmentChanged(data));
  queue.process(FIRE_TIMER_JOB, (data) => timers.fire(data));
  wireSegments(queue, resolve);
  wireJourneys(timers, resolve);
  timers.handle(MESSAGE_RESUME_TIMER, async (t) => void (await recovery.resume(String(t.payload["messageId"]))));
  const upkeep = resolve(DeliveryUpkeep);
  timers.handle(UPKEEP_TIMER, () => upkeep.onTimer());
  upkeep.listen(resolve(EngineTokens.Hooks));
  const retention = resolve(RetentionService);
  timers.handle(RETENTION_TIMER, () => retention.onTimer());
}
