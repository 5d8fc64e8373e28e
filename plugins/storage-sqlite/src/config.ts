import { z } from "zod";

/** storage-sqlite settings. Every field has a default: `storageSqlite()` alone is a working store. */
export const SqliteStorageConfig = z
  .object({
    /** The database file, relative to the working directory; ":memory:" for a throwaway store. */
    path: z.string().min(1).default(".nudge/nudge.db"),
    /**
     * "full" (default): every commit is fsynced, so an accepted event survives a power cut.
     * "normal": in WAL mode survives a process crash but may lose the last commits on a power cut.
     */
    synchronous: z.enum(["full", "normal"]).default("full"),
    /** How long a write waits for another process holding the write lock before failing. */
    busyTimeoutMs: z.number().int().nonnegative().default(5_000),
    /** Concurrent event appends share one transaction (one fsync). */
    groupCommit: z
      .object({
        /**
         * How long the first append waits for others to join. 0 (default): until the current turn of the
         * event loop ends, which gathers every request that arrived while the previous commit ran.
         */
        windowMs: z.number().min(0).max(50).default(0),
        /** A batch this large commits at once, without waiting for the window. */
        maxBatch: z.number().int().positive().max(10_000).default(1_000),
      })
      .strict()
      .default({ windowMs: 0, maxBatch: 1_000 }),
    /**
     * Where WAL checkpoints run. "background" (default): a worker thread with its own connection runs a
     * PASSIVE checkpoint every `everyMs`, so no commit on the event loop pays for one. "inline": SQLite's
     * own automatic checkpoint, inside the commit that crosses the threshold.
     */
    checkpoint: z
      .object({
        mode: z.enum(["background", "inline"]).default("background"),
        everyMs: z.number().int().min(10).max(60_000).default(100),
      })
      .strict()
      .default({ mode: "background", everyMs: 100 }),
    /**
     * Who writes the event log (the events table, kept in its own file beside the database: `nudge.db`
     * keeps its events in `nudge.events.db`). "thread" (default): a worker thread with its own
     * connection, so inserting events and committing them never runs on the event loop; an append still
     * resolves only after its COMMIT. "inline": the main connection, in its group commit. An in-memory
     * database is always inline.
     */
    eventWriter: z.enum(["thread", "inline"]).default("thread"),
    /** A cap on the size of each of the two files; writes beyond it fail with StorageUnavailableError (as a full disk does). */
    maxSizeMb: z.number().positive().optional(),
    /** Rows deleted per statement by retention, so a large purge never blocks the process for long. */
    deleteChunk: z.number().int().positive().default(5_000),
  })
  .strict();
export type SqliteStorageConfig = z.infer<typeof SqliteStorageConfig>;
export type SqliteStorageConfigInput = z.input<typeof SqliteStorageConfig>;
