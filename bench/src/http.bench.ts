import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import express from "express";
import { createNudge, silentLogger } from "@nudge/core";
import { eventLogPath, storageSqlite } from "@nudge/storage-sqlite";
import type { Benchmark } from "./run.js";
import { record, round } from "./record.js";

/**
 * /v1/track and /v1/batch of the quickstart stack (the embedded SQLite store, sandbox channel, the
 * router with auth, rate limits, metrics and validation) under autocannon, next to a bare Express
 * route that parses the same JSON and answers 202, in the same run. Each server runs in its own
 * process so autocannon (in this one) does not share its event loop.
 */
const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 10);
const CONNECTIONS = 50;
const BATCH = 500;
/** The people events are about: created before measuring, as a live system's audience already is. */
const USERS = 1000;
const INGEST_KEY = "bench-ingest-key-0123456789abcdef";
const SELF = fileURLToPath(import.meta.url);

type Kind = "bare" | "nudge";

/** Child process: serve one kind and report the port. */
async function serve(kind: Kind): Promise<void> {
  let app: express.Express;
  let close: () => Promise<void> = async () => {};
  if (kind === "bare") {
    app = express();
    app.use(express.json({ limit: "1mb" }));
    app.post("/nudge/v1/track", (req, res) => void res.status(202).json({ accepted: 1, duplicates: 0 }));
    app.post("/nudge/v1/batch", (req, res) => void res.status(202).json({ accepted: (req.body as { batch: unknown[] }).batch.length, duplicates: 0 }));
  } else {
    const { buildQuickstart } = await import("@nudge/example-quickstart/app");
    const dataDir = mkdtempSync(join(tmpdir(), "nudge-http-bench-"));
    // Request logs off (a log line per request measures the terminal); the limiter stays on, with a limit this run cannot reach.
    const q = await buildQuickstart({ logLevel: "warn", dataDir, keys: { ingest: INGEST_KEY }, router: { rateLimit: { windowMs: 60_000, ingest: 1e9, admin: 1e9, public: 1e9, webhook: 1e9 } } });
    app = q.app;
    close = async () => {
      await q.nudge.stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  const server = app.listen(0, "127.0.0.1", () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.once("message", () => {
    server.close();
    void close().then(() => process.exit(0));
  });
}

async function start(kind: Kind): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(SELF, ["--serve", kind], { stdio: "inherit" });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("stop");
  await exited;
}

/** Each autocannon run (warm-up, measurement) sends messageIds of its own: none is a duplicate of an earlier run's. */
const runTag = (): string => `${process.pid}-${randomUUID().slice(0, 8)}`;

function trackRequest(): autocannon.Request {
  let n = 0;
  const tag = runTag();
  return {
    method: "POST",
    path: "/nudge/v1/track",
    headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_KEY}` },
    setupRequest: (req) => ({ ...req, body: JSON.stringify({ userId: `u${n % USERS}`, event: "page_viewed", messageId: `t-${tag}-${n++}`, properties: { path: `/p/${n % 100}` } }) }),
  };
}

function batchRequest(): autocannon.Request {
  let n = 0;
  const tag = runTag();
  const template = JSON.stringify({
    batch: Array.from({ length: BATCH }, (_, i) => ({ type: "track", userId: `u${i % USERS}`, event: "page_viewed", messageId: `b-__R__-${i}`, properties: { path: `/p/${i % 100}` } })),
  });
  return {
    method: "POST",
    path: "/nudge/v1/batch",
    headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_KEY}` },
    setupRequest: (req) => ({ ...req, body: template.replaceAll("__R__", `${tag}-${n++}`) }),
  };
}

/** Identifies the audience, in batches. */
async function seed(url: string): Promise<void> {
  for (let from = 0; from < USERS; from += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, USERS - from) }, (_, i) => ({ type: "identify", userId: `u${from + i}`, traits: { plan: "free" } }));
    const res = await fetch(`${url}/nudge/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_KEY}` },
      body: JSON.stringify({ batch }),
    });
    if (res.status !== 202) throw new Error(`seeding answered ${res.status}: ${await res.text()}`);
  }
}

/** Requests per second answered 2xx over a run (after seeding and a warm-up run, not counted). */
async function measure(url: string, request: () => autocannon.Request): Promise<number> {
  await seed(url);
  await autocannon({ url, connections: CONNECTIONS, duration: 2, timeout: 30, requests: [request()] });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, timeout: 30, requests: [request()] });
  const ok = result["2xx"];
  if (result.non2xx > 0 || result.errors > 0) console.log(`  ${url}: ${result.non2xx} non-2xx, ${result.errors} errors (not counted)`);
  return ok / result.duration;
}

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * One endpoint on a fresh server of each kind, back to back, ROUNDS times in alternation, so both see
 * the same machine load; each kind's median is kept (this shared machine's speed drifts within minutes).
 */
async function compare(endpoint: "track" | "batch", request: () => autocannon.Request): Promise<Record<Kind, number>> {
  const runs: Record<Kind, number[]> = { bare: [], nudge: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of ["bare", "nudge"] as const) {
      const s = await start(kind);
      const rate = await measure(s.url, request);
      runs[kind].push(rate);
      await stop(s.child);
      const events = endpoint === "batch" ? ` (${round(rate * BATCH)} events/s)` : "";
      console.log(`  ${kind} /v1/${endpoint}: ${round(rate)} req/s${events}`);
    }
  }
  return { bare: median(runs.bare), nudge: median(runs.nudge) };
}

/**
 * The raw driver's rate for the batch stream: inserting the same events, 500 per transaction, on one
 * thread, into the event-log file the plugin migrated (same table, indexes, WAL and fsync per commit),
 * with time-ordered ids as the engine gives them. No HTTP, no validation, no people to resolve.
 */
async function rawSqlite(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "nudge-http-raw-"));
  const path = join(dataDir, "raw.db");
  const migrated = await createNudge({ workspace: "acme", plugins: [storageSqlite({ path })], logger: silentLogger() });
  await migrated.start();
  await migrated.stop();
  const db = new Database(eventLogPath(path));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("wal_autocheckpoint = 10000");
  const insert = db.prepare(
    "INSERT INTO events (workspace_id, message_id, id, type, name, profile_id, user_id, anonymous_id, properties, context, timestamp, received_at, processed_at) " +
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workspace_id, message_id) DO NOTHING",
  );
  const people = Array.from({ length: USERS }, () => randomUUID());
  const batch = db.transaction((now: number, from: number) => {
    const id = now.toString(16).padStart(12, "0");
    for (let i = 0; i < BATCH; i++) {
      const p = `/p/${i % 100}`;
      insert.run("acme", `raw-${from + i}`, `${id}-${from + i}`, "track", "page_viewed", people[i % USERS], `u${i % USERS}`, null, JSON.stringify({ path: p }), "{}", now, now, now);
    }
  });
  let rows = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    batch.immediate(Date.now(), rows);
    rows += BATCH;
  }
  const rate = rows / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  return rate;
}

const bench: Benchmark = {
  name: "http",
  async run() {
    const track = await compare("track", trackRequest);
    const batch = await compare("batch", batchRequest);
    const ceiling = await rawSqlite();
    console.log(`  raw better-sqlite3, same events, 500 per transaction: ${round(ceiling)} events/s`);
    console.log(`  medians of ${ROUNDS}: track ${round(track.nudge)} vs ${round(track.bare)} req/s; batch ${round(batch.nudge * BATCH)} vs ${round(batch.bare * BATCH)} events/s`);
    record("http", [
      {
        benchmark: "http",
        metric: `POST /v1/track req/s, quickstart stack (SQLite), autocannon ${CONNECTIONS} connections, median of ${ROUNDS} alternating runs`,
        unit: "req/s",
        value: round(track.nudge),
        baseline: "bare Express route (express.json + 202)",
        baselineValue: round(track.bare),
        target: "ratio >= 0.5",
      },
      {
        benchmark: "http",
        metric: `POST /v1/batch events/s (${BATCH} per request), quickstart stack (SQLite), autocannon ${CONNECTIONS} connections, median of ${ROUNDS} alternating runs`,
        unit: "events/s",
        value: round(batch.nudge * BATCH),
        baseline: "bare Express route (express.json + 202)",
        baselineValue: round(batch.bare * BATCH),
        target: "value >= 50,000 events/s",
      },
      {
        benchmark: "http",
        metric: `POST /v1/batch events/s (${BATCH} per request), quickstart stack (SQLite), autocannon ${CONNECTIONS} connections, median of ${ROUNDS} alternating runs`,
        unit: "events/s",
        value: round(batch.nudge * BATCH),
        baseline: "raw better-sqlite3 on one thread: the same events, 500 per transaction, same table and settings",
        baselineValue: round(ceiling),
        target: "value >= 50,000 events/s",
      },
    ]);
  },
};
export default bench;

if (process.argv[2] === "--serve") await serve(process.argv[3] as Kind);
