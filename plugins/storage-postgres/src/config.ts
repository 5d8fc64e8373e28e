import { z } from "zod";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** storage-postgres settings. Only `url` is required; the password in it is never logged. */
export const PostgresStorageConfig = z
  .object({
    /** postgres://user:password@host:5432/database */
    url: z
      .string({ message: "url is required (postgres://user:password@host:5432/database)" })
      .regex(/^postgres(ql)?:\/\//, { message: "must be a postgres:// or postgresql:// URL" }),
    /** The schema Nudge's tables live in; created at start if absent. */
    schema: z.string().regex(SCHEMA_NAME, { message: "lower-case letters, digits and _, starting with a letter or _ (at most 63)" }).default("nudge"),
    pool: z
      .object({
        /** Connections at most; several processes sharing one database each have their own pool. */
        max: z.number().int().positive().default(10),
        idleTimeoutMs: z.number().int().nonnegative().default(30_000),
        connectionTimeoutMs: z.number().int().positive().default(5_000),
        /** Server-side limit per statement (0 = none). */
        statementTimeoutMs: z.number().int().nonnegative().default(30_000),
      })
      .strict()
      .default({ max: 10, idleTimeoutMs: 30_000, connectionTimeoutMs: 5_000, statementTimeoutMs: 30_000 }),
    /** A lost connection is retried with exponential backoff before a call fails with StorageUnavailableError. */
    retry: z
      .object({
        attempts: z.number().int().min(1).max(20).default(6),
        baseDelayMs: z.number().int().positive().default(50),
        maxDelayMs: z.number().int().positive().default(2_000),
      })
      .strict()
      .default({ attempts: 6, baseDelayMs: 50, maxDelayMs: 2_000 }),
    /** Concurrent event appends are gathered into multi-row INSERTs, message claims into one transaction, message updates into one statement. */
    groupCommit: z
      .object({
        /** Writes in flight at once (appends, claims and updates each); those arriving meanwhile wait and go together in the next one. */
        maxInFlight: z.number().int().positive().default(2),
        maxBatch: z.number().int().positive().max(10_000).default(1_000),
      })
      .strict()
      .default({ maxInFlight: 2, maxBatch: 1_000 }),
    /** Shown in pg_stat_activity. */
    applicationName: z.string().min(1).max(63).default("nudge"),
    /** TLS to the server: true, or node's tls options (ca, rejectUnauthorized...). */
    ssl: z.union([z.boolean(), z.object({ rejectUnauthorized: z.boolean().optional(), ca: z.string().optional(), servername: z.string().optional() })]).optional(),
    /** Rows deleted per statement by retention. */
    deleteChunk: z.number().int().positive().default(10_000),
    /**
     * The schema belongs to this instance alone and is dropped (`DROP SCHEMA ... CASCADE`, every table and row
     * in it) when the instance stops: what simulate()'s throwaway stores set. Never on a schema with data to keep.
     */
    temporarySchema: z.boolean().default(false),
  })
  .strict();
export type PostgresStorageConfig = z.infer<typeof PostgresStorageConfig>;
export type PostgresStorageConfigInput = z.input<typeof PostgresStorageConfig>;
