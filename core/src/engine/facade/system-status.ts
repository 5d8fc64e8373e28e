import { inject, injectable } from "tsyringe";
import type { JobQueue, QueueStats } from "../../ports/job-queue.js";
import type { HealthCheck } from "../../ports/stores.js";
import type { InstanceContainer } from "../../container/plugin-context.js";
import { Tokens } from "../../tokens.js";
import { InstanceContainerToken } from "../engine-tokens.js";

/** `nudge.system`: what operators and probes read: storage health, queue depth, channels and providers. */
@injectable()
export class SystemStatus {
  constructor(
    @inject(Tokens.JobQueue) private readonly queue: JobQueue,
    @inject(InstanceContainerToken) private readonly container: InstanceContainer,
  ) {}

  /** The storage plugin's readiness probe, or null when it offers none. */
  storageHealth(): HealthCheck | null {
    return this.container.isRegistered(Tokens.StorageHealth) ? this.container.resolve(Tokens.StorageHealth) : null;
  }

  queueStats(): Promise<QueueStats> {
    return this.queue.stats();
  }
}
