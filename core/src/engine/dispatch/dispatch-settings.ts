import { z } from "zod";

const HOUR = 3_600_000;

/** Requests in flight and per second for one channel's provider. */
export const ProviderLimitSettings = z.object({
  concurrency: z.number().int().positive().optional(),
  perSecond: z.number().int().positive().optional(),
});
export type ProviderLimitSettings = z.infer<typeof ProviderLimitSettings>;

/** `settings.dispatch` of createNudge: how messages are retried, paced and given up on. Every field has a default. */
export const DispatchSettings = z.object({
  /** A message still not sent this long after it was created is dropped with a reason (72 h). */
  maxDeferAgeMs: z.number().int().positive().default(72 * HOUR),
  retry: z
    .object({
      /** Tries on one channel before the next channel of the chain is used. */
      maxAttemptsPerChannel: z.number().int().positive().default(4),
      /** First retry after about this long; doubles each time. */
      baseMs: z.number().int().positive().default(30_000),
      maxMs: z.number().int().positive().default(30 * 60_000),
      /** Share of each delay that is random (0 = exact exponential schedule, 1 = full jitter). */
      jitter: z.number().min(0).max(1).default(0.5),
    })
    .prefault({}),
  /**
   * A message left in "sending" longer than this was interrupted by a crash: it is recorded as failed,
   * never resent, since the provider may have accepted it.
   */
  sendingLeaseMs: z.number().int().positive().default(10 * 60_000),
  /** Per channel id: overrides what the channel declares. */
  providers: z.record(z.string(), ProviderLimitSettings).default({}),
  /** For channels that declare nothing and are not listed in `providers`. */
  defaultProvider: ProviderLimitSettings.prefault({ concurrency: 50 }),
  /** Sends waiting for one provider before callers wait in turn (back-pressure). */
  maxWaitingPerProvider: z.number().int().positive().default(1_000),
  /** A delivery report that a sent message failed moves it on to the next channel of its chain. */
  fallbackOnFailedReport: z.boolean().default(true),
  /**
   * Upkeep of the message log, on a durable timer: messages left in "sending" by a crash are settled,
   * and sent messages still without a delivery report are asked about, on channels that can be polled.
   */
  upkeep: z
    .object({
      /** How often upkeep runs. */
      everyMs: z.number().int().positive().default(5 * 60_000),
      /**
       * A sent message without a report is polled when its age passes `firstPollMs`, then each time its
       * age passes the previous mark times `pollFactor` (5 min, 15 min, 45 min ...), until `pollForMs`.
       */
      firstPollMs: z.number().int().positive().default(5 * 60_000),
      pollFactor: z.number().min(1.5).max(10).default(3),
      pollForMs: z.number().int().positive().default(72 * HOUR),
      /** Messages looked at per run, each kind: a backlog is worked off over several runs. */
      batch: z.number().int().positive().max(10_000).default(500),
    })
    .prefault({}),
});
export type DispatchSettings = z.infer<typeof DispatchSettings>;

/** A duration for reasons people read: "72 h", "45 min", "30 s". */
export function describeMs(ms: number): string {
  if (ms >= HOUR) return `${Math.round((ms / HOUR) * 10) / 10} h`;
  if (ms >= 10 * 60_000 || (ms >= 60_000 && ms % 60_000 === 0)) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
