import { mkdirSync } from "node:fs";
import { dirname, parse, resolve } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import { StorageUnavailableError, type HealthCheck, type Logger } from "@nudge/core";
import type { SqliteStorageConfig } from "./config.js";
import { toCoreError } from "./errors.js";
import { GroupCommit, type Outcome } from "./group-commit.js";
import { migrate } from "./sqlite-migrator.js";
import { Checkpointer } from "./checkpointer.js";
import { INSERT_EVENT, ThreadEventWriter, type EventWrites } from "./event-writer.js";
import { EVENT_LOG, eventLogSchema } from "./migrations.js";

/**
 * Inline checkpoints every ~40 MB of WAL rather than 4 MB: a page rewritten by many commits is copied to
 * the file once per checkpoint (measured +10-20% appends/s); the WAL is truncated back to 64 MB after.
 */
const INLINE_CHECKPOINT_PAGES = 10_000;

/** Rows (or rows to delete) from which an event-log write goes to the writer thread even when it is idle. */
const THREAD_WRITE_MIN = 64;

type Statement = Database.Statement<unknown[], unknown>;

/** A statement from a connection's cache, compiled on first use. */
function prepared(cache: Map<string, Statement>, conn: () => Database.Database, sql: string): Statement {
  let s = cache.get(sql);
  if (!s) {
    s = conn().prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

/** The event log's file beside the database file: `nudge.db` keeps its events in `nudge.events.db`. */
export function eventLogPath(path: string): string {
  if (path === ":memory:") return path;
  const p = parse(resolve(path));
  return resolve(p.dir, `${p.name}.events${p.ext === "" ? ".db" : p.ext}`);
}

/**
 * One SQLite connection for one Nudge instance. better-sqlite3 is synchronous: a statement runs to
 * completion before the event loop moves on, so one connection serves every store without a pool.
 * The event log lives in a second file with a connection of its own: read here, and written by a thread
 * (`eventWriter: "thread"`, the default for a file) or here through its own group commit. Two files keep
 * the two write locks apart: the main connection's BEGIN IMMEDIATE never waits for the event writer.
 * Nothing touches either file before `open()` (called from the plugin's init).
 */
export class SqliteDatabase implements HealthCheck {
  private db: Database.Database | null = null;
  private eventDb: Database.Database | null = null;
  private checkpointer: Checkpointer | null = null;
  private writer: ThreadEventWriter | null = null;
  private readonly statements = new Map<string, Statement>();
  private readonly eventStatements = new Map<string, Statement>();
  private readonly group: GroupCommit;
  private readonly eventGroup: GroupCommit;
  readonly location: string;
  /** The event log's file (":memory:" beside an in-memory database). */
  readonly eventLogLocation: string;

  constructor(
    readonly config: SqliteStorageConfig,
    private readonly logger: Logger,
  ) {
    this.location = config.path === ":memory:" ? ":memory:" : resolve(config.path);
    this.eventLogLocation = eventLogPath(this.location);
    this.group = new GroupCommit((writes) => this.commitGroup(writes), config.groupCommit);
    this.eventGroup = new GroupCommit((writes) => this.commitGroup(writes, this.eventConn, this.eventLogLocation), config.groupCommit);
  }

  /** Opens (creating the folder and file if needed), sets WAL and durability, applies migrations. */
  open(now: number): void {
    if (this.db) return;
    try {
      if (this.location !== ":memory:") mkdirSync(dirname(this.location), { recursive: true });
      const db = this.connect(this.location);
      this.db = db;
      const log = this.connect(this.eventLogLocation);
      this.eventDb = log;
      // The event log's table, also when its file is new beside an older database.
      log.exec(eventLogSchema("main"));
      // Migrations see the event log too: migration 4 moves events stored before it had a file of its own.
      db.prepare(`ATTACH DATABASE ? AS ${EVENT_LOG}`).run(this.eventLogLocation);
      let applied: number[];
      try {
        applied = migrate(db, now);
      } finally {
        db.prepare(`DETACH DATABASE ${EVENT_LOG}`).run();
      }
      if (this.background()) {
        // Should the thread die, both connections checkpoint on their own again.
        this.checkpointer = new Checkpointer(this.location, this.eventLogLocation, this.config.checkpoint.everyMs, this.logger, () => {
          for (const conn of [this.db, this.eventDb]) conn?.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_PAGES}`);
        });
        this.checkpointer.start();
      }
      if (this.location !== ":memory:" && this.config.eventWriter === "thread") {
        const maxPageCount = this.maxPageCount(log);
        const settings = { path: this.eventLogLocation, synchronous: this.synchronous(), busyTimeoutMs: this.config.busyTimeoutMs, autocheckpoint: INLINE_CHECKPOINT_PAGES, maxPageCount };
        this.writer = new ThreadEventWriter(settings, this.logger, () => (this.writer = null));
        this.writer.start();
      }
      this.logger.info(
        { location: this.location, eventLog: this.eventLogLocation, applied, synchronous: this.config.synchronous, eventWriter: this.writer ? "thread" : "inline" },
        "sqlite storage opened",
      );
    } catch (e) {
      this.closeQuietly();
      const reason = e instanceof Error ? e.message : String(e);
      throw new StorageUnavailableError(`cannot open SQLite database at ${this.location}: ${reason}`, e);
    }
  }

  /** A connection in WAL mode with the configured durability, checkpointing and size cap. */
  private connect(path: string): Database.Database {
    const db = new Database(path, { timeout: this.config.busyTimeoutMs });
    try {
      const mode = db.pragma("journal_mode = WAL", { simple: true });
      if (path !== ":memory:" && mode !== "wal") throw new Error(`could not switch ${path} to WAL mode (journal_mode is ${String(mode)})`);
      db.pragma(`synchronous = ${this.synchronous()}`);
      db.pragma(`wal_autocheckpoint = ${this.background() ? 0 : INLINE_CHECKPOINT_PAGES}`);
      db.pragma("journal_size_limit = 67108864");
      const maxPages = this.maxPageCount(db);
      if (maxPages !== null) db.pragma(`max_page_count = ${maxPages}`);
      return db;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private synchronous(): "FULL" | "NORMAL" {
    return this.config.synchronous === "full" ? "FULL" : "NORMAL";
  }

  /** `maxSizeMb` in pages, applied to each of the two files; null when there is no cap. */
  private maxPageCount(db: Database.Database): number | null {
    if (this.config.maxSizeMb === undefined) return null;
    const pageSize = Number(db.pragma("page_size", { simple: true }));
    return Math.max(1, Math.floor((this.config.maxSizeMb * 1024 * 1024) / pageSize));
  }

  /**
   * Where changes to the event log go. With a writer thread: large writes (a batch's events, a
   * retention chunk) go to the thread, and so does everything while the thread has work in flight, so
   * the two connections never wait for each other's lock; small writes while it is idle commit here,
   * in the event log's own group commit, because handing a single event to a thread and back costs
   * more CPU than inserting it (measured: about a quarter of a core at 3,000 single-event requests/s).
   * Without one (an in-memory database, `eventWriter: "inline"`, a writer thread that died), every
   * change commits here.
   */
  readonly events: EventWrites = {
    insert: (rows) => this.eventsFor(rows.length).insert(rows),
    run: (sql, params, weight = params.length) => this.eventsFor(weight).run(sql, params, weight),
  };

  private eventsFor(weight: number): EventWrites {
    const writer = this.writer;
    if (!writer || (!writer.busy && weight < THREAD_WRITE_MIN)) return this.inlineEvents;
    // What waits here for its group commits first: the thread's transaction must not overlap it.
    this.eventGroup.flush();
    return writer;
  }

  /** Whether a thread writes the event log. */
  get eventsWrittenInBackground(): boolean {
    return this.writer?.running === true;
  }

  private readonly inlineEvents: EventWrites = {
    insert: (rows) =>
      this.eventGroup.run(() => {
        const s = this.eventStmt(INSERT_EVENT);
        return rows.map((r) => s.run(...r).changes === 1);
      }),
    run: (sql, params) =>
      this.eventGroup.run(() => {
        const s = this.eventStmt(sql);
        let n = 0;
        for (const p of params) n += s.run(...p).changes;
        return n;
      }),
  };

  get conn(): Database.Database {
    if (!this.db) throw new StorageUnavailableError(`SQLite database at ${this.location} is not open (start() the Nudge instance first)`);
    return this.db;
  }

  /** The event log's connection on this thread (reads; writes too when they are not on the writer thread). */
  get eventConn(): Database.Database {
    if (!this.eventDb) throw new StorageUnavailableError(`SQLite event log at ${this.eventLogLocation} is not open (start() the Nudge instance first)`);
    return this.eventDb;
  }

  /** A prepared statement on the event log's connection. */
  eventStmt(sql: string): Statement {
    return prepared(this.eventStatements, () => this.eventConn, sql);
  }

  /** A prepared statement, compiled once per connection. */
  stmt(sql: string): Statement {
    return prepared(this.statements, () => this.conn, sql);
  }

  /** Runs driver calls and turns driver errors into core errors naming the file. */
  guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw toCoreError(e, this.location);
    }
  }

  /**
   * A write. It runs in the next group transaction (group commit) and resolves after that COMMIT:
   * durable when it resolves, with one fsync shared by every write of the group. `fn` runs whole,
   * synchronously, inside the transaction, so a read-check-write in it is atomic.
   */
  write<T>(fn: () => T): Promise<T> {
    return this.group.run(fn);
  }

  /**
   * One transaction for a group of writes. BEGIN IMMEDIATE takes the write lock up front, so a second
   * process sharing the file waits (busy timeout) instead of failing halfway with SQLITE_BUSY. The
   * writes run back to back; if one throws, the group is rolled back and run again with a savepoint per
   * write, so only the failing one fails. (Savepoints on every write cost ~30% of an append's CPU, and
   * failures are rare: conflicts, a caller's bug.)
   */
  commitGroup(writes: (() => unknown)[], conn: Database.Database = this.conn, location: string = this.location): Outcome[] {
    try {
      const values: unknown[] = [];
      conn.transaction(() => {
        for (const fn of writes) values.push(fn());
      }).immediate();
      return values.map((value) => ({ ok: true, value }));
    } catch (e) {
      const error = toCoreError(e, location);
      if (writes.length === 1) return [{ ok: false, error }];
      if (error instanceof StorageUnavailableError) throw error;
    }
    const outcomes: Outcome[] = [];
    this.guard(() =>
      conn
        .transaction(() => {
          for (const fn of writes) {
            try {
              outcomes.push({ ok: true, value: conn.transaction(fn)() });
            } catch (error) {
              // A full disk or an I/O error may end the whole transaction: then nothing of the group stands.
              if (!conn.inTransaction) throw error;
              outcomes.push({ ok: false, error: toCoreError(error, location) });
            }
          }
        })
        .immediate(),
    );
    return outcomes;
  }

  /** Commits writes waiting for their group: called before the connection closes. */
  flush(): void {
    this.group.flush();
    this.eventGroup.flush();
  }

  /**
   * Deletes `SELECT rowid ... LIMIT chunk` at a time, yielding to the event loop between chunks:
   * retention over millions of rows never blocks the process for more than one chunk.
   */
  async deleteChunked(table: string, where: string, params: unknown[], run = (sql: string) => this.write(() => this.stmt(sql).run(...params).changes)): Promise<number> {
    const chunk = this.config.deleteChunk;
    const sql = `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${chunk})`;
    let total = 0;
    for (;;) {
      const n = await run(sql);
      total += n;
      if (n < chunk) return total;
      await nextTurn();
    }
  }

  async ping(): Promise<void> {
    this.guard(() => this.stmt("SELECT 1").get());
    this.guard(() => this.eventStmt("SELECT 1").get());
  }

  /** Whether WAL checkpoints run on a thread (a file database with the default `checkpoint.mode`). */
  private background(): boolean {
    return this.location !== ":memory:" && this.config.checkpoint.mode === "background";
  }

  /** Whether the checkpoint thread is running. */
  get checkpointingInBackground(): boolean {
    return this.checkpointer?.running === true;
  }

  /** Idempotent. */
  async close(): Promise<void> {
    // Events already handed to the writer commit before it stops.
    await this.writer?.stop();
    this.writer = null;
    await this.checkpointer?.stop();
    this.checkpointer = null;
    if (!this.db) return;
    for (const [conn, location] of [[this.db, this.location], [this.eventDb, this.eventLogLocation]] as const) {
      try {
        // Lets SQLite refresh its query-planner statistics, as its docs advise before closing.
        conn?.pragma("optimize");
      } catch (e) {
        this.logger.warn({ err: e, location }, "sqlite optimize before close failed");
      }
    }
    this.closeQuietly();
    this.logger.info({ location: this.location }, "sqlite storage closed");
  }

  private closeQuietly(): void {
    this.statements.clear();
    this.eventStatements.clear();
    for (const conn of [this.db, this.eventDb]) {
      try {
        conn?.close();
      } catch {
        // Closing a connection whose file vanished must not mask the original error.
      }
    }
    this.db = null;
    this.eventDb = null;
  }
}
