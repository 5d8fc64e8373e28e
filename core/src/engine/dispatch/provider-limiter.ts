import { EngineTokens } from "../engine-tokens.js";
import PQueue from "p-queue";
import { inject, injectable } from "tsyringe";
import type { Channel } from "../../ports/channel.js";
import type { NudgeOptionsResolved } from "../options.js";
import type { ProviderLimitSettings } from "./dispatch-settings.js";

/** A channel's queue, and the calls started outside it (see ProviderLimiter.run). */
interface Lane {
  queue: PQueue;
  concurrency: number;
  /** Whether a per-second limit applies: then every call goes through the queue, which counts them. */
  paced: boolean;
  /** Calls running that started outside the queue. */
  direct: number;
}

/**
 * One p-queue per channel: bounds requests in flight and per second to what the provider allows.
 * Callers wait (back-pressure) once too many sends are queued for one provider, so a burst never
 * grows memory without bound.
 */
@injectable()
export class ProviderLimiter {
  private readonly lanes = new Map<string, Lane>();

  constructor(@inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved) {}

  /** Runs `task` in the channel's queue once a slot is free. */
  run<T>(channel: Channel, task: () => Promise<T>): Promise<T> {
    const lane = this.laneOf(channel);
    const queue = lane.queue;
    // Nobody waiting, a slot free, no per-second limit: nothing for p-queue to decide, and its bookkeeping per
    // task (options copy, task symbol, running-task map, events) costs about as much as a fast provider call.
    // The call starts at once, as p-queue would start it, and holds its slot outside the queue (see fit).
    if (!lane.paced && queue.size === 0 && queue.pending + lane.direct < lane.concurrency) return this.runDirect(lane, task);
    this.fit(lane);
    const max = this.options.dispatch.maxWaitingPerProvider;
    return queue.size < max ? queue.add(task) : this.runWhenRoom(lane, max, task);
  }

  private runDirect<T>(lane: Lane, task: () => Promise<T>): Promise<T> {
    lane.direct++;
    let call: Promise<T>;
    try {
      call = task();
    } catch (e) {
      this.release(lane);
      return Promise.reject(e);
    }
    return call.then(
      (v) => {
        this.release(lane);
        return v;
      },
      (e: unknown) => {
        this.release(lane);
        throw e;
      },
    );
  }

  private release(lane: Lane): void {
    lane.direct--;
    if (lane.queue.size > 0) this.fit(lane);
  }

  /**
   * Shrinks the queue's concurrency by the slots held outside it (pausing it when none is left), so calls in
   * and out of it never exceed the channel's limit together. Called whenever the queue may start a call with
   * the count changed: before an add, and when a slot held outside comes back while calls wait. (A slot is only
   * taken outside while nothing waits, so the queue has nothing to start then.)
   */
  private fit(lane: Lane): void {
    const free = lane.concurrency - lane.direct;
    if (free < 1) {
      lane.queue.pause();
      return;
    }
    if (lane.queue.concurrency !== free) lane.queue.concurrency = free;
    if (lane.queue.isPaused) lane.queue.start();
  }

  private async runWhenRoom<T>(lane: Lane, max: number, task: () => Promise<T>): Promise<T> {
    while (lane.queue.size >= max) await lane.queue.onSizeLessThan(max);
    this.fit(lane);
    return lane.queue.add(task);
  }

  /** What a channel's queue holds now: for stats and tests. */
  stats(channelId: string): { waiting: number; active: number } {
    const lane = this.lanes.get(channelId);
    return { waiting: lane?.queue.size ?? 0, active: (lane?.queue.pending ?? 0) + (lane?.direct ?? 0) };
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

  private laneOf(channel: Channel): Lane {
    let lane = this.lanes.get(channel.id);
    if (!lane) {
      const limits = this.limitsOf(channel);
      const concurrency = limits.concurrency ?? Number.POSITIVE_INFINITY;
      const queue = new PQueue({ concurrency, ...(limits.perSecond === undefined ? {} : { intervalCap: limits.perSecond, interval: 1000 }) });
      lane = { queue, concurrency, paced: limits.perSecond !== undefined, direct: 0 };
      this.lanes.set(channel.id, lane);
    }
    return lane;
  }
}
