import { inject, injectable } from "tsyringe";
import { NudgeError, PluginLifecycleError } from "../errors.js";
import type { InstanceContainer } from "../container/plugin-context.js";
import type { JobQueue } from "../ports/job-queue.js";
import type { Logger } from "../ports/logger.js";
import type { TriggerSink, TriggerSource } from "../ports/trigger-source.js";
import { Tokens } from "../tokens.js";
import { InstanceContainerToken, PluginRuntimeToken } from "./engine-tokens.js";
import { EventHandoff } from "./ingest/event-handoff.js";
import type { PluginRuntime } from "./plugin-runtime.js";
import { RetentionService } from "./retention/retention-service.js";
import { TimerService } from "./timers/timer-service.js";

/**
 * Starting and stopping one instance, in order: plugins, queue, replay of events accepted before a crash,
 * timers, retention, trigger sources; and the reverse. `drain` settles the queue and due timers (tests).
 */
@injectable()
export class NudgeLifecycle {
  constructor(
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(PluginRuntimeToken) private readonly plugins: PluginRuntime,
    @inject(InstanceContainerToken) private readonly container: InstanceContainer,
    @inject(EventHandoff) private readonly handoff: EventHandoff,
    @inject(TimerService) private readonly timers: TimerService,
    @inject(RetentionService) private readonly retention: RetentionService,
  ) {}

  /** `markRunning` is called once ingest may be accepted (before the replay, which ingests). */
  async start(sink: (source: TriggerSource) => TriggerSink, markRunning: () => void): Promise<void> {
    try {
      await this.plugins.initAll();
      await this.queue.start();
      markRunning();
      await this.replay();
      this.timers.start();
      await this.retention.schedule();
      for (const source of this.sources()) {
        try {
          await source.start(sink(source));
        } catch (e) {
          throw new PluginLifecycleError(source.id, "init", e);
        }
      }
    } catch (e) {
      await this.plugins.closeAll();
      throw e;
    }
  }

  async stop(wasRunning: boolean): Promise<void> {
    this.timers.stop();
    if (wasRunning) {
      for (const source of this.sources().reverse()) {
        await source.stop().catch((err: unknown) => this.logger.error({ err, source: source.id }, "trigger source failed to stop"));
      }
      await this.queue.close();
    }
    await this.plugins.closeAll();
  }

  async drain(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      await this.queue.onIdle();
      const claimed = await this.timers.pollOnce();
      const stats = await this.queue.stats();
      if (claimed === 0 && stats.waiting === 0 && stats.active === 0) return;
    }
    throw new NudgeError("NUDGE_DRAIN", "drain did not settle after 10,000 rounds (a journey loops?)");
  }

  private sources(): TriggerSource[] {
    return this.container.resolveAll(Tokens.TriggerSource);
  }

  private async replay(): Promise<void> {
    // Events accepted before a crash but never processed; each pass processes what it queued.
    for (let n = await this.handoff.replayUnprocessed(); n > 0; n = await this.handoff.replayUnprocessed()) {
      await this.queue.onIdle();
    }
  }
}
