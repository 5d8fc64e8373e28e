import { dispatcherOf, rendererOf } from "@nudge/core/internal";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import PQueue from "p-queue";
import pg from "pg";
import { z } from "zod";
import { createNudge, definePlugin, FakeClock, policies, profileScope, silentLogger, Tokens, type Channel, type Message, type Nudge, type PluginSpec, type Profile } from "@nudge/core";
import { aMessage, serviceAvailable } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";
import { storagePostgres } from "@nudge/storage-postgres";
import { storageSqlite } from "@nudge/storage-sqlite";
import type { Benchmark } from "./run.js";
import { record, round, type BenchFigure } from "./record.js";

const MESSAGES = 10_000;
const PEOPLE = 2_000;
/** Sends in flight at once, the same in every variant. */
const CONCURRENCY = 64;
const ROUNDS = 3;

// notifme-sdk ships CommonJS without types: load it with require and type the little we use.
type NotifmeSdk = { send(request: { sms: { from: string; to: string; text: string } }): Promise<{ status: string }> };
type NotifmeCtor = new (options: unknown) => NotifmeSdk;
const require = createRequire(import.meta.url);
const notifme = require("notifme-sdk") as { default: NotifmeCtor };
(require("notifme-sdk/lib/util/logger") as { default: { mute(): void } }).default.mute();

/** Provider calls in flight, across variants: every variant must stay within CONCURRENCY. */
const inFlight = { now: 0, max: 0 };

/** The provider every variant calls: answers at once, or after a simulated network round trip. */
function noopProvider(latencyMs: number): (to: string, text: string) => Promise<string> {
  let n = 0;
  return async () => {
    inFlight.max = Math.max(inFlight.max, ++inFlight.now);
    try {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return `noop-${++n}`;
    } finally {
      inFlight.now--;
    }
  };
}

interface Variant {
  name: string;
  /**
   * Messages the driver keeps in the variant at once. For the baselines a send is the provider call, so
   * it is CONCURRENCY; Nudge limits provider calls itself (the channel's rate limit, CONCURRENCY), so
   * its other steps (record, render, policies) may overlap with them.
   */
  driver: number;
  setup(latencyMs: number): Promise<{ send(i: number): Promise<unknown>; teardown(): Promise<void> }>;
}

const text = (name: string) => `(광고) Hello ${name}, spring sale 20% off. 무료수신거부 080-000-0000`;

/** The whole pipeline: record, render (Liquid), consent + quiet hours + frequency cap, atomic claim, rate-limited provider, delivery record. */
const pipelineOn = (storage: () => PluginSpec, people: number): Variant => ({
  name: "nudge dispatch",
  driver: CONCURRENCY * 4,
  async setup(latencyMs) {
    const provider = noopProvider(latencyMs);
    const noop = definePlugin({
      id: "channel-noop",
      kind: "channel",
      configSchema: z.object({}),
      register(ctx) {
        const channel: Channel<{ text: string }> = {
          id: "noop",
          providers: ["noop"],
          contentSchema: z.object({ text: z.string() }),
          rateLimit: { concurrency: CONCURRENCY },
          address: (p) => p.contacts.phone ?? null,
          prepare: () => ({ messageType: "SMS", cost: { amount: 9.9, currency: "KRW" } }),
          send: async (m) => ({ providerMessageId: await provider(m.to, m.content.text) }),
        };
        ctx.registerInstance(Tokens.Channel, channel as Channel);
      },
    });
    // A fixed noon in Seoul: quiet hours never defer, so every message goes through every step.
    const nudge: Nudge = await createNudge({
      workspace: "bench",
      plugins: [
        storage(),
        noop(),
        policies({ quietHours: [{ from: "21:00", to: "08:00" }], frequencyCaps: [{ id: "daily", max: 1_000_000, per: "day" }] }),
      ],
      logger: silentLogger(),
      clock: new FakeClock("2026-03-02T03:00:00Z"),
    });
    await nudge.start();
    const persons: Profile[] = [];
    for (let i = 0; i < people; i++) {
      const p = await nudge.profiles.resolve({ userId: `u${i}` });
      const saved = await nudge.profiles.update(p.id, (x) => {
        x.traits = { name: `person ${i}` };
        x.contacts.phone = `+8210${String(10_000_000 + i)}`;
        x.timezone = "Asia/Seoul";
        x.subscriptions.push({ channel: "noop", state: "subscribed", at: 0, source: "bench" });
        return x;
      });
      persons.push(saved!);
    }
    return {
      send: (i) => {
        const profile = persons[i % people]!;
        return dispatcherOf(nudge)
          .dispatch({
            profile,
            idempotencyKey: `m${i}`,
            spec: { channel: "noop", content: { text: "(광고) Hello {{ profile.traits.name }}, spring sale 20% off. 무료수신거부 080-000-0000" }, marketing: true },
            scope: { profile: profileScope(profile) },
          })
          .then((m) => {
            // Only real sends count: a message a policy stopped would be cheaper than one sent.
            if (m.status !== "sent") throw new Error(`message ${i} ended ${m.status}`);
          });
      },
      teardown: () => nudge.stop(),
    };
  },
});
const pipeline = pipelineOn(() => storageMemory(), PEOPLE);

/** The same messages pushed straight into a p-queue: the provider call and nothing else. */
const bareQueue: Variant = {
  name: "p-queue straight to the provider",
  driver: CONCURRENCY,
  async setup(latencyMs) {
    const provider = noopProvider(latencyMs);
    return { send: (i) => provider(`+8210${10_000_000 + (i % PEOPLE)}`, text(`person ${i % PEOPLE}`)), teardown: async () => {} };
  },
};

/**
 * The same messages through two p-queues in a row and nothing else: the benchmark's driver (as the pipeline
 * gets it) and a per-provider queue of CONCURRENCY (as the pipeline's limiter, which the channel's rate limit
 * needs). No pipeline that queues its provider calls can beat it: its ratio to bareQueue is the ceiling of
 * the pipeline's ratio, with every other step (record, render, policies, claim) free.
 */
const twoQueues: Variant = {
  name: "two p-queues in a row",
  driver: CONCURRENCY * 4,
  async setup(latencyMs) {
    const provider = noopProvider(latencyMs);
    const limiter = new PQueue({ concurrency: CONCURRENCY });
    return {
      send: (i) => limiter.add(() => provider(`+8210${10_000_000 + (i % PEOPLE)}`, text(`person ${i % PEOPLE}`))),
      teardown: () => limiter.onIdle(),
    };
  },
};

/**
 * A hand-written sender that keeps a message log in memory, and nothing else: per message, a record (the
 * Message shape, queued) copied into a Map, the provider call through the same p-queue as bareQueue, then the
 * record's result (status, one attempt) copied in again. No dedupe, policies, rendering or claim. Its ratio
 * to bareQueue is what recording alone costs; the pipeline's ratio to it, what everything else costs.
 */
const mapLogged: Variant = {
  name: "p-queue with a message log in a Map",
  driver: CONCURRENCY,
  async setup(latencyMs) {
    const provider = noopProvider(latencyMs);
    const log = new Map<string, Message>();
    let n = 0;
    return {
      send: async (i) => {
        const to = `+8210${10_000_000 + (i % PEOPLE)}`;
        const body = text(`person ${i % PEOPLE}`);
        const m = aMessage("bench", `p${i % PEOPLE}`, { id: `log-${++n}`, idempotencyKey: `m${i}`, channels: ["noop"], channel: "noop", recipient: to, content: { noop: { text: body } } });
        log.set(m.id, { ...m, attempts: [] });
        const providerMessageId = await provider(to, body);
        m.attempts.push({ attempt: 1, channel: "noop", provider: "noop", at: 0, status: "sent", providerMessageId, cost: { amount: 9.9, currency: "KRW" } });
        m.status = "sent";
        log.set(m.id, { ...m, attempts: m.attempts.map((a) => ({ ...a })) });
      },
      teardown: async () => {},
    };
  },
};

/** notifme-sdk with a custom no-op SMS provider. */
const notifmeSdk: Variant = {
  name: "notifme-sdk",
  driver: CONCURRENCY,
  async setup(latencyMs) {
    const provider = noopProvider(latencyMs);
    const sdk = new notifme.default({
      channels: { sms: { multiProviderStrategy: "fallback", providers: [{ type: "custom", id: "noop", send: (r: { to: string; text: string }) => provider(r.to, r.text) }] } },
    });
    return {
      send: async (i) => {
        const r = await sdk.send({ sms: { from: "Acme", to: `+8210${10_000_000 + (i % PEOPLE)}`, text: text(`person ${i % PEOPLE}`) } });
        if (r.status !== "success") throw new Error("notifme-sdk send failed");
      },
      teardown: async () => {},
    };
  },
};

/** Messages per second for one variant, driven through a p-queue; checks the provider limit held. */
async function measure(variant: Variant, latencyMs: number, count: number): Promise<number> {
  const { send, teardown } = await variant.setup(latencyMs);
  const queue = new PQueue({ concurrency: variant.driver });
  inFlight.max = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (queue.size >= variant.driver) await queue.onSizeLessThan(variant.driver / 2);
    void queue.add(() => send(i));
  }
  await queue.onIdle();
  const rate = count / ((performance.now() - start) / 1000);
  await teardown();
  if (inFlight.max > CONCURRENCY) throw new Error(`${variant.name}: ${inFlight.max} provider calls in flight, above ${CONCURRENCY}`);
  return rate;
}

/**
 * What single stages of the pipeline cost on their own, in microseconds per message, measured in the same
 * run as the comparison: the two message-log writes every send makes (the claim that inserts it, the result) on
 * storage-memory, and rendering the content. Each is timed over the same number of messages, one after
 * another, with nothing else running. Set against a p-queue task, they show how much of the pipeline's
 * time is work the guarantees require.
 */
async function stageCosts(count: number): Promise<{ writes: number; render: number }> {
  const nudge = await createNudge({ workspace: "bench", plugins: [storageMemory()], logger: silentLogger(), clock: new FakeClock("2026-03-02T03:00:00Z") });
  await nudge.start();
  const store = nudge.resolve(Tokens.MessageStore);
  const renderer = rendererOf(nudge);
  const profile = await nudge.profiles.resolve({ userId: "u0" });
  const scope = { profile: profileScope({ ...profile, traits: { name: "person 0" } }) };
  const content = { text: "(광고) Hello {{ profile.traits.name }}, spring sale 20% off. 무료수신거부 080-000-0000" };
  const messages = Array.from({ length: count }, (_, i) => aMessage("bench", `p${i % PEOPLE}`, { idempotencyKey: `k${i}`, channels: ["noop"], channel: "noop", journeyId: null, stepId: null }));
  let t = performance.now();
  for (const m of messages) {
    m.status = "sending";
    await store.insertClaimed!(m, []);
    m.attempts.push({ attempt: 1, channel: "noop", provider: "noop", at: 0, status: "sent", providerMessageId: "noop", cost: { amount: 9.9, currency: "KRW" } });
    m.status = "sent";
    await store.update(m);
  }
  const writes = ((performance.now() - t) * 1000) / count;
  t = performance.now();
  for (let i = 0; i < count; i++) renderer.renderSync(content, scope);
  const render = ((performance.now() - t) * 1000) / count;
  await nudge.stop();
  return { writes, render };
}

const PG_URL = "postgres://postgres@127.0.0.1:5432/test";
/** Messages and people of the runs on SQL stores: the pipeline is bound by commits there, so fewer messages give a stable figure. */
const SQL_MESSAGES = 3_000;
const SQL_PEOPLE = 500;

/**
 * What a hand-written sender with a message log writes per message, with the raw driver on the same
 * table: the row (queued), then "sending", then the result. Statements are given `?` placeholders and
 * run one by one, each its own transaction.
 */
const RAW_WRITES = [
  `INSERT INTO messages (workspace_id, id, idempotency_key, profile_id, channels, channel, marketing, status, attempts, decisions, created_at, updated_at)
   VALUES (?, ?, ?, ?, '["noop"]', 'noop', ?, 'queued', '[]', '[]', ?, ?)`,
  "UPDATE messages SET status = 'sending', content = ?, recipient = ?, updated_at = ? WHERE workspace_id = ? AND id = ? AND status = 'queued'",
  "UPDATE messages SET status = 'sent', attempts = ?, sent_at = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
];
function rawParams(i: number, marketing: unknown): unknown[][] {
  const id = `raw-${i}`;
  const content = JSON.stringify({ noop: { text: text(`person ${i % SQL_PEOPLE}`) } });
  const attempts = JSON.stringify([{ attempt: 1, channel: "noop", provider: "noop", at: 3, status: "sent", providerMessageId: `noop-${i}`, cost: { amount: 9.9, currency: "KRW" } }]);
  return [["bench", id, `k${i}`, `p${i % SQL_PEOPLE}`, marketing, 1, 1], [content, `+8210${10_000_000 + (i % SQL_PEOPLE)}`, 2, "bench", id], [attempts, 3, 3, "bench", id]];
}

/**
 * The pipeline on the two SQL stores, 0 ms provider, next to the raw driver writing the same messages the
 * way a hand-written sender would (RAW_WRITES), in alternating runs.
 */
async function sqlStores(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const dir = mkdtempSync(join(tmpdir(), "nudge-dispatch-"));
  let files = 0;
  const freshFile = async () => {
    const path = join(dir, `d${++files}.db`);
    const n = await createNudge({ workspace: "bench", plugins: [storageSqlite({ path })], logger: silentLogger(), clock: new FakeClock(0) });
    await n.start();
    await n.stop();
    return path;
  };
  const rawSqlite = async (): Promise<number> => {
    const db = new Database(await freshFile());
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL"); // the store's default
    const stmts = RAW_WRITES.map((sql) => db.prepare(sql));
    const start = performance.now();
    for (let i = 0; i < SQL_MESSAGES; i++) rawParams(i, 1).forEach((params, k) => stmts[k]!.run(...params));
    const rate = SQL_MESSAGES / ((performance.now() - start) / 1000);
    db.close();
    return rate;
  };
  try {
    const rates = { nudge: [] as number[], raw: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      rates.raw.push(await rawSqlite());
      const path = await freshFile();
      rates.nudge.push(await measure(pipelineOn(() => storageSqlite({ path }), SQL_PEOPLE), 0, SQL_MESSAGES));
    }
    const [nudge, raw] = [round(median(rates.nudge)), round(median(rates.raw))];
    console.log(`storage-sqlite: nudge ${nudge}/s, raw better-sqlite3 ${raw}/s (median of ${ROUNDS})`);
    figures.push({
      benchmark: "dispatch",
      metric: `messages/s, ${SQL_MESSAGES} msgs, no-op provider at 0 ms, whole pipeline on storage-sqlite (file, WAL, synchronous FULL)`,
      unit: "msg/s",
      value: nudge!,
      baseline: "raw better-sqlite3, same table: insert, 'sending', result, one transaction each",
      baselineValue: raw!,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const pgUp = await serviceAvailable("PostgreSQL", "127.0.0.1", 5432);
  if (pgUp !== true) {
    console.log(`${pgUp}: the storage-postgres figure is left out`);
    return figures;
  }
  const schema = `bench_dispatch_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const freshSchema = async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const n = await createNudge({ workspace: "bench", plugins: [storagePostgres({ url: PG_URL, schema })], logger: silentLogger(), clock: new FakeClock(0) });
    await n.start();
    await n.stop();
  };
  const pgSql = RAW_WRITES.map((sql) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  });
  const rawPg: Variant = {
    name: "raw pg",
    driver: CONCURRENCY,
    async setup() {
      await freshSchema();
      const pool = new pg.Pool({ connectionString: PG_URL, max: 10, options: `-c search_path=${schema}` });
      return {
        send: async (i) => {
          const params = rawParams(i, true);
          for (let k = 0; k < pgSql.length; k++) await pool.query(pgSql[k]!, params[k]);
        },
        teardown: () => pool.end(),
      };
    },
  };
  try {
    const rates = { nudge: [] as number[], raw: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      rates.raw.push(await measure(rawPg, 0, SQL_MESSAGES));
      await freshSchema();
      rates.nudge.push(await measure(pipelineOn(() => storagePostgres({ url: PG_URL, schema }), SQL_PEOPLE), 0, SQL_MESSAGES));
    }
    const [nudge, raw] = [round(median(rates.nudge)), round(median(rates.raw))];
    console.log(`storage-postgres: nudge ${nudge}/s, raw pg ${raw}/s (median of ${ROUNDS})`);
    figures.push({
      benchmark: "dispatch",
      metric: `messages/s, ${SQL_MESSAGES} msgs, no-op provider at 0 ms, whole pipeline on storage-postgres (pool of 10)`,
      unit: "msg/s",
      value: nudge!,
      baseline: `raw pg, same table, pool of 10, ${CONCURRENCY} concurrent: insert, 'sending', result, one transaction each`,
      baselineValue: raw!,
    });
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
  return figures;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const bench: Benchmark = {
  name: "dispatch",
  async run() {
    const figures = [];
    // 0 ms shows the pipeline's own cost; 20 ms is a fast provider round trip (real HTTP APIs take 30–150 ms).
    for (const latencyMs of [0, 20]) {
      const rates = new Map<Variant, number[]>([
        [pipeline, []],
        [bareQueue, []],
        [notifmeSdk, []],
        [twoQueues, []],
        [mapLogged, []],
      ]);
      for (const v of rates.keys()) await measure(v, latencyMs, 2_000); // warm-up
      for (let r = 0; r < ROUNDS; r++) for (const [v, list] of rates) list.push(await measure(v, latencyMs, MESSAGES));
      const [nudge, bare, sdk, two, logged] = [pipeline, bareQueue, notifmeSdk, twoQueues, mapLogged].map((v) => round(median(rates.get(v)!)));
      console.log(`provider latency ${latencyMs} ms: nudge ${nudge}/s, p-queue ${bare}/s, notifme-sdk ${sdk}/s, two p-queues ${two}/s, p-queue + Map log ${logged}/s (median of ${ROUNDS})`);
      console.log(`  ratio to p-queue: nudge ${round(nudge! / bare!, 3)}, two p-queues ${round(two! / bare!, 3)}, p-queue + Map log ${round(logged! / bare!, 3)}`);
      if (latencyMs === 0) {
        await stageCosts(2_000); // warm-up
        const stages = [await stageCosts(MESSAGES), await stageCosts(MESSAGES), await stageCosts(MESSAGES)];
        const writes = round(median(stages.map((x) => x.writes)), 2);
        const render = round(median(stages.map((x) => x.render)), 2);
        const task = round(1e6 / bare!, 2);
        console.log(`  per message: whole pipeline ${round(1e6 / nudge!, 2)} µs, of it message-log writes alone ${writes} µs and rendering ${render} µs; a p-queue task ${task} µs`);
        const vsTask = "p-queue task, same run (µs per message)";
        figures.push(
          { benchmark: "dispatch", metric: "message-log writes alone (insert-claim, result), storage-memory, µs per message", unit: "µs", value: writes, baseline: vsTask, baselineValue: task, lowerIsBetter: true },
          { benchmark: "dispatch", metric: "rendering alone (one Liquid variable), µs per message", unit: "µs", value: render, baseline: vsTask, baselineValue: task, lowerIsBetter: true },
        );
      }
      const what = `messages/s, ${MESSAGES} msgs, <= ${CONCURRENCY} provider calls in flight, no-op provider answering after ${latencyMs} ms`;
      figures.push(
        { benchmark: "dispatch", metric: `${what} (whole pipeline)`, unit: "msg/s", value: nudge!, baseline: "same messages straight into p-queue", baselineValue: bare!, target: ">= 0.5" },
        { benchmark: "dispatch", metric: `${what} (whole pipeline)`, unit: "msg/s", value: nudge!, baseline: "notifme-sdk, custom no-op provider", baselineValue: sdk!, target: "> 1" },
        { benchmark: "dispatch", metric: `${what} (two p-queues in a row, nothing else: the ceiling of a pipeline that queues every call)`, unit: "msg/s", value: two!, baseline: "same messages straight into p-queue", baselineValue: bare! },
        { benchmark: "dispatch", metric: `${what} (p-queue with a message log in a Map: record, call, result; nothing else)`, unit: "msg/s", value: logged!, baseline: "same messages straight into p-queue", baselineValue: bare! },
      );
    }
    figures.push(...(await sqlStores()));
    record("dispatch", figures);
  },
};
export default bench;
