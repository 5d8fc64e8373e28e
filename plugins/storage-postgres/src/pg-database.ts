import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { backoffDelay, StorageUnavailableError, type HealthCheck, type Logger } from "@nudge/core";
import type { PostgresStorageConfig } from "./config.js";
import { isConnectionError, isRetryableRollback, redactUrl, scrub, toCoreError } from "./errors.js";
import { migrate } from "./pg-migrator.js";

/** What stores run statements on: the pool, or the client of an open transaction. */
export interface Queryable {
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
}

const INT8_OID = 20;
/** Runs of a call after a deadlock or serialization failure, beyond the first. */
const ROLLBACK_RETRIES = 5;
const ROLLBACK_BACKOFF = { baseMs: 10, maxMs: 200 };
// Epoch milliseconds are bigint columns; they fit a JS number exactly, so read them as numbers
// (pg's default is strings). Per pool, so the host's own pg usage is untouched.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * The pool of one Nudge instance. Nothing connects before `open()` (the plugin's init). A statement
 * that cannot reach the server is retried with exponential backoff; when the retries run out the
 * caller gets StorageUnavailableError (HTTP 503), never a silently dropped write.
 */
export class PgDatabase implements HealthCheck {
  private pool: pg.Pool | null = null;
  private readonly names = new Map<string, string>();
  private down = false;
  readonly location: string;
  private readonly password: string | null;

  constructor(
    readonly config: PostgresStorageConfig,
    private readonly logger: Logger,
  ) {
    this.location = `${redactUrl(config.url)} (schema ${config.schema})`;
    let password: string | null = null;
    try {
      password = decodeURIComponent(new URL(config.url).password) || null;
    } catch {
      password = null;
    }
    this.password = password;
  }

  async open(now: number): Promise<void> {
    if (this.pool) return;
    const { pool: p, schema } = this.config;
    const pool = new pg.Pool({
      connectionString: this.config.url,
      max: p.max,
      idleTimeoutMillis: p.idleTimeoutMs,
      connectionTimeoutMillis: p.connectionTimeoutMs,
      ...(p.statementTimeoutMs > 0 ? { statement_timeout: p.statementTimeoutMs } : {}),
      application_name: this.config.applicationName,
      // The schema is validated (lower-case identifier), so it is safe in the startup options.
      options: `-c search_path=${schema}`,
      ...(this.config.ssl !== undefined ? { ssl: this.config.ssl } : {}),
      types,
    });
    // An idle connection the server drops emits here; without a listener it would crash the process.
    pool.on("error", (err) => this.logger.warn({ err: this.safe(err), location: this.location }, "postgres idle connection lost"));
    this.pool = pool;
    try {
      const applied = await this.run((client) => migrate(client, schema, now), true);
      this.logger.info({ location: this.location, applied }, "postgres storage opened");
    } catch (e) {
      await this.close();
      const reason = e instanceof Error ? e.message : String(e);
      throw new StorageUnavailableError(`cannot open PostgreSQL at ${this.location}: ${scrub(reason, this.password)}`, e);
    }
  }

  /** One statement on a pooled connection; retried when the connection fails (reads and idempotent writes). */
  async query<R>(sql: string, params: unknown[] = [], options: { idempotent?: boolean } = {}): Promise<R[]> {
    return this.run(async (client) => (await client.query({ text: sql, values: params, name: this.nameOf(sql) })).rows as R[], options.idempotent ?? true);
  }

  /**
   * A transaction; retried as a whole when the connection fails, if `idempotent`. `begin`, a statement
   * without parameters, goes with BEGIN in the same round trip (a lock to take first, say).
   */
  async tx<T>(fn: (q: Queryable) => Promise<T>, options: { idempotent?: boolean; begin?: string } = {}): Promise<T> {
    return this.run(async (client) => {
      await client.query(options.begin === undefined ? "BEGIN" : `BEGIN; ${options.begin}`);
      try {
        const result = await fn({ query: async <R>(sql: string, params: unknown[] = []) => (await client.query({ text: sql, values: params, name: this.nameOf(sql) })).rows as R[] });
        await client.query("COMMIT");
        return result;
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      }
    }, options.idempotent ?? true);
  }

  /**
   * Deletes `chunk` rows per statement (`ctid = ANY(ARRAY(...))` is a TID scan), so a large purge is
   * many short transactions instead of one long one holding locks and bloating the WAL.
   */
  async deleteChunked(table: string, where: string, params: unknown[]): Promise<number> {
    const chunk = this.config.deleteChunk;
    const sql = `WITH gone AS (DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ${chunk})) RETURNING 1)
      SELECT COUNT(*) AS n FROM gone`;
    let total = 0;
    for (;;) {
      const [row] = await this.query<{ n: number }>(sql, params);
      const n = row?.n ?? 0;
      total += n;
      if (n < chunk) return total;
    }
  }

  /** Readiness: one round trip, no retries, so an outage shows at once. */
  async ping(): Promise<void> {
    if (!this.pool) throw new StorageUnavailableError(`PostgreSQL at ${this.location} is not open`);
    try {
      await this.pool.query("SELECT 1");
    } catch (e) {
      throw toCoreError(e, this.location, this.password);
    }
  }

  /** Idempotent. With `temporarySchema`, drops the schema and everything in it first. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    this.names.clear();
    if (!pool) return;
    if (this.config.temporarySchema) {
      // The schema name is validated (lower-case identifier), so it is safe to quote into the statement.
      await pool
        .query(`DROP SCHEMA IF EXISTS "${this.config.schema}" CASCADE`)
        .then(() => this.logger.debug({ location: this.location }, "postgres temporary schema dropped"))
        .catch((err: unknown) => this.logger.warn({ err: this.safe(err), location: this.location }, "postgres temporary schema was not dropped"));
    }
    await pool.end().catch((err: unknown) => this.logger.warn({ err: this.safe(err) }, "postgres pool did not close cleanly"));
    this.logger.info({ location: this.location }, "postgres storage closed");
  }

  /**
   * `connected`, run again when the server rolled it back to break a deadlock or on a serialization failure
   * (see isRetryableRollback): nothing of it was applied, so even non-idempotent work may run twice. Bounded,
   * with a short jittered pause so the transactions that collided do not collide again in step.
   */
  private async run<T>(work: (client: pg.PoolClient) => Promise<T>, idempotent: boolean): Promise<T> {
    for (let rollbacks = 0; ; rollbacks++) {
      try {
        return await this.connected(work, idempotent);
      } catch (e) {
        if (!isRetryableRollback(e) || rollbacks >= ROLLBACK_RETRIES) throw e;
        this.logger.debug({ err: this.safe(e), retry: rollbacks + 1 }, "postgres rolled a call back; running it again");
        await sleep(backoffDelay(rollbacks + 1, ROLLBACK_BACKOFF));
      }
    }
  }

  private async connected<T>(work: (client: pg.PoolClient) => Promise<T>, idempotent: boolean): Promise<T> {
    const { attempts, baseDelayMs, maxDelayMs } = this.config.retry;
    for (let attempt = 1; ; attempt++) {
      const pool = this.pool;
      if (!pool) throw new StorageUnavailableError(`PostgreSQL at ${this.location} is closed`);
      let sent = false;
      try {
        const client = await pool.connect();
        sent = true;
        // A checked-out client reports a dropped connection as an 'error' event as well as through the
        // pending query; unheard, that event would crash the process (pg's pool listens only while idle).
        const onError = (err: Error) => this.logger.debug({ err: this.safe(err) }, "postgres connection dropped during a call");
        client.on("error", onError);
        const release = (err?: Error) => {
          client.removeListener("error", onError);
          client.release(err);
        };
        try {
          const result = await work(client);
          release();
          if (this.down) {
            this.down = false;
            this.logger.info({ location: this.location }, "postgres connection restored");
          }
          return result;
        } catch (e) {
          // A broken connection is destroyed rather than returned to the pool.
          release(isConnectionError(e) ? (e as Error) : undefined);
          throw e;
        }
      } catch (e) {
        if (!isConnectionError(e) || e instanceof StorageUnavailableError) throw toCoreError(e, this.location, this.password);
        if (!this.down) {
          this.down = true;
          this.logger.warn({ err: this.safe(e), location: this.location }, "postgres unreachable; retrying with backoff");
        }
        // A statement that reached the server may have committed: only idempotent work is sent twice.
        if (attempt >= attempts || (sent && !idempotent)) throw toCoreError(e, this.location, this.password);
        await sleep(backoffDelay(attempt, { baseMs: baseDelayMs, maxMs: maxDelayMs }));
      }
    }
  }

  /** Named statements are parsed and planned once per connection. */
  private nameOf(sql: string): string {
    let name = this.names.get(sql);
    if (!name) {
      name = `nudge_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }

  private safe(err: unknown): { message: string; code?: string } {
    const e = err as { message?: string; code?: string };
    return { message: scrub(String(e?.message ?? err), this.password), ...(e?.code ? { code: e.code } : {}) };
  }
}
