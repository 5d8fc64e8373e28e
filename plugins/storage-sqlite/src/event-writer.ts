import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { StorageUnavailableError, type Logger } from "@nudge/core";
import { toCoreError } from "./errors.js";

/** A stored event as the INSERT binds it, in EVENT_COLUMNS order. */
export type EventRowValues = unknown[];

/**
 * The writes of the event log. Every change to the events table goes through one of these, so that in
 * thread mode only the writer's connection ever takes the event log's write lock.
 */
export interface EventWrites {
  /** Inserts rows (skipping a stored messageId); resolves after the COMMIT, one `inserted` flag per row. */
  insert(rows: EventRowValues[]): Promise<boolean[]>;
  /**
   * Runs one statement once per parameter list, in one transaction; resolves with the rows changed.
   * `weight` (default: one per parameter list) is how many rows it may touch, for choosing where it runs.
   */
  run(sql: string, params: unknown[][], weight?: number): Promise<number>;
}

export const INSERT_EVENT =
  "INSERT INTO events (workspace_id, message_id, id, type, name, profile_id, user_id, anonymous_id, properties, context, timestamp, received_at, processed_at) " +
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, message_id) DO NOTHING";

/**
 * The thread's code, run as a script (`eval`) so it needs no file of its own beside the sources or the
 * build. It owns a connection to the event-log file and commits what arrived during one turn of its own
 * event loop in one transaction (group commit, as the main connection does). If that transaction fails,
 * each request is run again in its own, so only the failing one fails. Replies go back in one message
 * per group.
 */
const THREAD = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const UNAVAILABLE = /^SQLITE_(FULL|IOERR|CANTOPEN|BUSY|LOCKED|READONLY|CORRUPT|NOTADB|NOMEM|PROTOCOL|AUTH)/;
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs, fileMustExist: true });
db.pragma("journal_mode = WAL");
db.pragma("synchronous = " + workerData.synchronous);
db.pragma("wal_autocheckpoint = " + workerData.autocheckpoint);
if (workerData.maxPageCount) db.pragma("max_page_count = " + workerData.maxPageCount);
const statements = new Map();
const stmt = (sql) => { let s = statements.get(sql); if (!s) { s = db.prepare(sql); statements.set(sql, s); } return s; };
const apply = (m) => {
  if (m.op === "insert") { const s = stmt(workerData.insert); return m.rows.map((r) => s.run(...r).changes === 1); }
  const s = stmt(m.sql); let n = 0; for (const p of m.params) n += s.run(...p).changes; return n;
};
const failure = (e) => ({ message: String((e && e.message) || e), code: e && typeof e.code === "string" ? e.code : null });
let pending = [];
let scheduled = false;
function flush() {
  scheduled = false;
  const batch = pending;
  pending = [];
  if (batch.length === 0) return;
  const replies = [];
  try {
    const values = [];
    db.transaction(() => { for (const m of batch) values.push(apply(m)); }).immediate();
    batch.forEach((m, i) => replies.push({ id: m.id, value: values[i] }));
  } catch (e) {
    if (batch.length === 1 || (e && typeof e.code === "string" && UNAVAILABLE.test(e.code))) {
      for (const m of batch) replies.push({ id: m.id, error: failure(e) });
    } else {
      for (const m of batch) {
        try { replies.push({ id: m.id, value: db.transaction(() => apply(m)).immediate() }); }
        catch (err) { replies.push({ id: m.id, error: failure(err) }); }
      }
    }
  }
  parentPort.postMessage(replies);
}
parentPort.on("message", (m) => {
  if (m.op === "stop") { flush(); db.close(); parentPort.close(); return; }
  pending.push(m);
  if (!scheduled) { scheduled = true; setImmediate(flush); }
});
`;

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

type Reply = { id: number; value?: unknown; error?: { message: string; code: string | null } };

export interface WriterSettings {
  path: string;
  synchronous: "FULL" | "NORMAL";
  busyTimeoutMs: number;
  autocheckpoint: number;
  maxPageCount: number | null;
}

/**
 * Writes the event log on a thread of its own. Inserting an event costs its table row and index entries
 * plus its share of the commit; on the event loop that was most of what an ingest request cost. Here the
 * event loop only sends the rows and waits for the COMMIT (an accepted event is still durable when its
 * promise resolves), and the thread's work overlaps with the next requests. If the thread dies, the
 * requests in flight fail with StorageUnavailableError (nothing was acknowledged) and `onFailure` lets the
 * caller fall back to writing on its own connection.
 */
export class ThreadEventWriter implements EventWrites {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, Waiting>();
  private stopped = false;

  constructor(
    private readonly settings: WriterSettings,
    private readonly logger: Logger,
    private readonly onFailure: () => void,
  ) {}

  start(): void {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    const worker = new Worker(THREAD, { eval: true, workerData: { ...this.settings, driver, insert: INSERT_EVENT } });
    // Held only while a write waits for it, so an idle instance never keeps the process alive.
    worker.unref();
    worker.on("message", (replies: Reply[]) => this.settle(replies));
    worker.on("error", (err) => this.fail(err));
    worker.on("exit", (code) => {
      if (this.worker === worker) this.fail(new Error(`the event-log writer thread exited with code ${code}`));
    });
    this.worker = worker;
  }

  get running(): boolean {
    return this.worker !== null;
  }

  /** Whether writes sent to the thread still wait for their COMMIT. */
  get busy(): boolean {
    return this.waiting.size > 0;
  }

  insert(rows: EventRowValues[]): Promise<boolean[]> {
    return this.send({ op: "insert", rows }) as Promise<boolean[]>;
  }

  run(sql: string, params: unknown[][]): Promise<number> {
    return this.send({ op: "run", sql, params }) as Promise<number>;
  }

  /** Lets the writes already sent commit, then stops the thread. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.ref();
    worker.postMessage({ op: "stop" });
    await exited;
    // Replies to writes sent before the stop arrive before the thread exits; anything left never ran.
    this.rejectAll(new StorageUnavailableError(`SQLite event log at ${this.settings.path} is closed`));
  }

  private send(message: { op: string; [k: string]: unknown }): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new StorageUnavailableError(`SQLite event log at ${this.settings.path} is ${this.stopped ? "closed" : "unavailable"}`));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  private settle(replies: Reply[]): void {
    for (const r of replies) {
      const w = this.waiting.get(r.id);
      if (!w) continue;
      this.waiting.delete(r.id);
      if (r.error) w.reject(toCoreError(new Database.SqliteError(r.error.message, r.error.code ?? "SQLITE_ERROR"), this.settings.path));
      else w.resolve(r.value);
    }
    if (this.waiting.size === 0) this.worker?.unref();
  }

  private fail(err: unknown): void {
    if (this.worker === null) return;
    this.worker = null;
    this.logger.error({ err, location: this.settings.path }, "the event-log writer thread stopped; events are written on the main connection from now on");
    this.rejectAll(new StorageUnavailableError(`SQLite event log at ${this.settings.path}: the writer thread stopped`, err));
    this.onFailure();
  }

  private rejectAll(error: unknown): void {
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }
}
