import { z } from "zod";

/** Settings of the journey runtime (`settings.journeys` of createNudge). */
export const JourneySettings = z.object({
  webhooks: z
    .object({
      /**
       * Webhook steps refuse private, loopback, link-local and other non-public addresses, so a journey
       * definition cannot reach into the host's network. Allow them for an internal service or tests.
       */
      allowPrivateAddresses: z.boolean().default(false),
      /** Host names allowed even when they resolve to non-public addresses. */
      allowHosts: z.array(z.string().min(1)).default([]),
      /** Retry spacing of failed webhook calls (exponential with jitter). */
      retryBaseMs: z.number().int().positive().default(10_000),
      retryMaxMs: z.number().int().positive().default(10 * 60_000),
      /** Make no call: answer each webhook step from `dryRunAnswers` (by step id), else 200 {}. simulate() uses it. */
      dryRun: z.boolean().default(false),
      dryRunAnswers: z.record(z.string(), z.object({ status: z.number().int().min(100).max(599), body: z.unknown().optional() })).default({}),
    })
    .prefault({}),
  /** How often a person held by a paused journey looks again. */
  pausedRecheckMs: z.number().int().positive().default(5 * 60_000),
});
export type JourneySettings = z.infer<typeof JourneySettings>;
