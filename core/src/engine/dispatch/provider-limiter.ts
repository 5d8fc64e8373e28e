import PQueue from "p-queue";
import { inject, injectable } from "tsyringe";
import type { Channel } from "../../ports/channel.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import type { ProviderLimitSettings } from "./dispatch-settings.js";

/**
 * One p-queue per channel: bounds requests in flight and per second to what the provider allows.
 * Callers wait (back-pressure) once too many sends are queued for one provider, so a burst never
 * grows memory without bound.
 */
@injectable()
export class ProviderLimiter {
  private readonly queues = new Map<string, PQueue>();

  constructor(@inject(Tokens.Options) private readonly options: NudgeOptionsResolved) {}

  /** Runs `task` in the channel's queue once a slot is free. */
  run<T>(channel: Channel, task: () => Promise<T>): Promise<T> {
    const queue = this.queueOf(channel);
    const max = this.options.dispatch.maxWaitingPerProvider;
    return queue.size < max ? queue.add(task) : this.runWhenRoom(queue, max, task);
  }

  private async runWhenRoom<T>(queue: PQueue, max: number, task: () => Promise<T>): Promise<T> {
    while (queue.size >= max) await queue.onSizeLessThan(max);
    return queue.add(task);
  }

  /** What a channel's queue holds now: for stats and tests. */
  stats(channelId: string): { waiting: number; active: number } {
    const q = this.queues.get(channelId);
    return { waiting: q?.size ?? 0, active: q?.pending ?? 0 };
  }

  /** The limits in force for a channel: host settings, else the channel's own declaration, else the default. */
  limitsOf(channel: Channel): ProviderLimitSettings {
    const d = this.options.dispatch;
    const host = d.providers[channel.id];
    return {
      concurrency: host?.concurrency ?? channel.rateLimit?.concurrency ?? d.defaultProvider.concurrency,
      perSecond: host?.perSecond ?? channel.rateLimit?.perSecond ?? d.defaultProvider.perSecond,
    };
  }

  private queueOf(channel: Channel): PQueue {
    let q = this.queues.get(channel.id);
    if (!q) {
      const limits = this.limitsOf(channel);
      q = new PQueue({
        concurrency: limits.concurrency ?? Number.POSITIVE_INFINITY,
        ...(limits.perSecond === undefined ? {} : { intervalCap: limits.perSecond, interval: 1000 }),
      });
      this.queues.set(channel.id, q);
    }
    return q;
  }
}
