import { Duration } from "luxon";
import { z } from "zod";
import { IsoDuration } from "../../domain/common.js";

const millis = (iso: string): number => Duration.fromISO(iso).toMillis();

/**
 * `settings.retention` of createNudge: how long data is kept. Unset ages keep data forever (deleting
 * by default would surprise). Ages are ISO 8601 durations such as P90D.
 */
export const RetentionSettings = z
  .object({
    /** Events whose timestamp is older than this are deleted. */
    events: IsoDuration.optional(),
    /** Message contents and recipients are removed after this; status, channel, cost and times stay. */
    messageContent: IsoDuration.optional(),
    /** Messages, metadata included, are deleted after this. */
    messages: IsoDuration.optional(),
    /** How often the job runs. */
    every: IsoDuration.default("P1D"),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.messageContent !== undefined && r.messages !== undefined && millis(r.messageContent) > millis(r.messages)) {
      ctx.addIssue({ code: "custom", path: ["messageContent"], message: "must not be longer than messages: contents go before the metadata that holds them" });
    }
    if (millis(r.every) < 60_000) ctx.addIssue({ code: "custom", path: ["every"], message: "must be at least PT1M" });
  });
export type RetentionSettings = z.infer<typeof RetentionSettings>;
