import { NudgeError, StorageUnavailableError } from "@nudge/core";

/** Redis and BullMQ failures become core errors; the engine reads only `code` and `retryable`. */
export function toNudgeError(err: unknown, doing: string): NudgeError {
  if (err instanceof NudgeError) return err;
  return new StorageUnavailableError(`the job queue could not ${doing}: ${err instanceof Error ? err.message : String(err)}`, err);
}

export function queueClosed(workspace: string): NudgeError {
  return new NudgeError("NUDGE_STOPPED", `the job queue of "${workspace}" is closed and accepts no new work`, { retryable: true });
}

export function partitionsChanged(workspace: string, stored: number, wanted: number, waiting: number): NudgeError {
  return new NudgeError(
    "NUDGE_QUEUE_PARTITIONS_CHANGED",
    `the job queue of "${workspace}" has ${waiting} jobs waiting in ${stored} partitions, but concurrency is now ${wanted}: ` +
      `run with concurrency ${stored} until they are done, then change it (jobs of one key would otherwise run out of order)`,
    { details: { stored, wanted, waiting } },
  );
}
