import { z } from "zod";

/** `triggerSchedule({ ... })`: every field has a default. */
export const ScheduleConfig = z
  .object({
    /** How often due occurrences are looked for with a real clock; a fake clock ticks whenever it moves. */
    pollMs: z.number().int().positive().default(30_000),
    /**
     * After a (re)start, occurrences this far back are run again, so one missed while the process was down
     * still happens. Enrolment keys name the occurrence, so people already enrolled for it are not again.
     */
    catchUpMs: z.number().int().nonnegative().default(60 * 60_000),
    /** People read per page while walking an audience. */
    pageSize: z.number().int().min(1).max(10_000).default(500),
  })
  .strict();
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;
export type ScheduleConfigInput = z.input<typeof ScheduleConfig>;
