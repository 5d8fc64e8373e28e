import { createNudge, newProfile, silentLogger, Tokens, type Nudge, type NudgeEvent, type SegmentDefinitionInput, type TrackInput } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import type { Benchmark } from "./run.js";
import { record, round } from "./record.js";

/** A smaller trial run (printed, not recorded): SEGMENTS_BENCH_PROFILES=100000 npm run bench -- segments */
const TRIAL = process.env["SEGMENTS_BENCH_PROFILES"];
const PROFILES = TRIAL ? Number(TRIAL) : 1_000_000;
const EVENTS_PER_ROUND = 20_000;
const ROUNDS = 4;
const DAY = 86_400_000;
const WS = "bench";

/** Ten segments covering every kind of condition the engine keeps incrementally. */
const SEGMENTS: SegmentDefinitionInput[] = [
  { id: "vip", condition: { type: "trait", trait: "tier", op: "eq", value: "gold" } },
  { id: "recent-signups", condition: { type: "trait", trait: "signupAt", op: "after", duration: "P30D" } },
  { id: "buyers", condition: { type: "event", event: "purchase", within: "P30D", op: "gte", value: 2 } },
  { id: "big-spenders", condition: { type: "event", event: "purchase", within: "P90D", measure: { sum: "amount" }, op: "gte", value: 100_000 } },
  { id: "dormant", condition: { type: "event", event: "login", within: "P14D", op: "eq", value: 0 } },
  { id: "at-risk", condition: { type: "lifecycle", stage: "at_risk", activityEvent: "login" } },
  { id: "holdout", condition: { type: "bucket", from: 0, to: 1000 } },
  {
    id: "seoul-active",
    condition: { type: "and", conditions: [{ type: "trait", trait: "city", op: "eq", value: "Seoul" }, { type: "event", event: "login", within: "P7D" }] },
  },
  { id: "champions", condition: { type: "rfm", recency: { gte: 4 }, frequency: { gte: 2 } } },
  { id: "vip-dormant", condition: { type: "and", conditions: [{ type: "segment", segment: "vip" }, { type: "segment", segment: "dormant" }] } },
];

/** A deterministic generator, so every run sees the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CITIES = ["Seoul", "Seoul", "Busan", "Incheon", "Daegu"];
/** Activity tiers by profile index: the first 10% are regulars, the next 30% occasional, the rest lapsed. */
const tierOf = (i: number) => (i < PROFILES * 0.1 ? 0 : i < PROFILES * 0.4 ? 1 : 2);

/** History shaped like a real base: regulars log in weekly and buy, occasional people now and then, most have lapsed. */
async function seed(nudge: Nudge, now: number): Promise<number> {
  const profiles = nudge.resolve(Tokens.ProfileStore);
  const events = nudge.resolve(Tokens.EventStore);
  const r = rng(42);
  let count = 0;
  let batch: NudgeEvent[] = [];
  const add = (profileId: string, userId: string, name: string, daysAgo: number) => {
    const ts = now - Math.floor(daysAgo * DAY);
    const props = name === "purchase" ? { amount: 10_000 + Math.floor(r() * 90) * 1000 } : {};
    batch.push({ workspaceId: WS, id: `e${count}`, messageId: `m${count}`, type: "track", name, profileId, userId, anonymousId: null, properties: props, context: {}, timestamp: ts, receivedAt: ts, processedAt: ts });
    count++;
  };
  for (let i = 0; i < PROFILES; i++) {
    const id = `p${i}`;
    const userId = `u${i}`;
    const p = newProfile(WS, id, now - Math.floor(r() * 400) * DAY);
    p.userId = userId;
    p.traits = { tier: r() < 0.1 ? "gold" : "silver", city: CITIES[i % CITIES.length], signupAt: new Date(p.createdAt).toISOString() };
    await profiles.save(p);
    const tier = tierOf(i);
    if (tier === 0) {
      for (let k = 0, n = 2 + Math.floor(r() * 4); k < n; k++) add(id, userId, "login", r() * 14);
      for (let k = 0, n = Math.floor(r() * 3); k < n; k++) add(id, userId, "purchase", r() * 60);
    } else if (tier === 1) {
      for (let k = 0, n = 1 + Math.floor(r() * 2); k < n; k++) add(id, userId, "login", 10 + r() * 50);
      if (r() < 0.4) add(id, userId, "purchase", r() * 120);
    } else if (r() < 0.5) {
      add(id, userId, r() < 0.8 ? "login" : "purchase", 60 + r() * 300);
    }
    if (batch.length >= 10_000) {
      await events.appendMany(batch);
      batch = [];
    }
  }
  await events.appendMany(batch);
  return count;
}

type Stream = TrackInput[];

/**
 * Realistic: 80% of events from regulars, 15% occasional, 5% lapsed; page and product views dominate,
 * logins 12%, purchases 5%. Adversarial: anyone uniformly, and every event names a segment.
 */
function stream(kind: "realistic" | "adversarial", seedValue: number, count: number, tag: string): Stream {
  const r = rng(seedValue);
  const pick = (from: number, to: number) => `u${Math.floor(PROFILES * (from + r() * (to - from)))}`;
  return Array.from({ length: count }, (_, i) => {
    let userId: string;
    let event: string;
    if (kind === "realistic") {
      const t = r();
      userId = t < 0.8 ? pick(0, 0.1) : t < 0.95 ? pick(0.1, 0.4) : pick(0.4, 1);
      const x = r();
      event = x < 0.55 ? "page_viewed" : x < 0.75 ? "product_viewed" : x < 0.87 ? "login" : x < 0.95 ? "added_to_cart" : "purchase";
    } else {
      userId = pick(0, 1);
      const x = r();
      event = x < 0.5 ? "login" : "purchase";
    }
    const properties = event === "purchase" ? { amount: 10_000 + Math.floor(r() * 90) * 1000 } : { path: `/p/${i % 100}` };
    return { userId, event, messageId: `${tag}-${i}`, properties };
  });
}

/**
 * Seconds of CPU this process spent (user + system) while `fn` ran. The bench machine is shared, and
 * wall time there measures the neighbours as much as the code; for a sequential, single-threaded
 * workload, CPU time is what wall time would be on an idle machine. Wall time is printed alongside.
 */
async function cpuSeconds(fn: () => Promise<void>): Promise<{ cpu: number; wall: number }> {
  const wall = performance.now();
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / 1e6, wall: (performance.now() - wall) / 1000 };
}

interface Totals {
  cpu: number;
  wall: number;
  events: number;
}
const zero = (): Totals => ({ cpu: 0, wall: 0, events: 0 });

async function measure(nudge: Nudge, events: Stream): Promise<{ cpu: number; wall: number }> {
  // Start every phase from a collected heap: otherwise whichever phase trips a full collection of the
  // multi-gigabyte heap pays for the garbage of the phases before it.
  (globalThis as { gc?: () => void }).gc?.();
  return cpuSeconds(async () => {
    for (const e of events) await nudge.track(e);
    await nudge.drain();
  });
}

async function ingest(nudge: Nudge, events: Stream): Promise<void> {
  await measure(nudge, events);
}

async function scanRate(nudge: Nudge): Promise<number> {
  const profiles = nudge.resolve(Tokens.ProfileStore);
  let n = 0;
  const { cpu } = await cpuSeconds(async () => {
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = await profiles.list(WS, { cursor, limit: 500 });
      n += page.items.length;
      cursor = page.nextCursor;
    } while (cursor !== null);
  });
  return n / cpu;
}

const heapMb = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);
const fmt = (v: number) => Math.round(v).toLocaleString("en-US");

/**
 * 1,000,000 profiles and 10 segments on storage-memory. Two instances in one process hold the same
 * seeded base: A gets the ten segments, B none. (1) Saving the segments on A evaluates them for
 * everyone from scratch (one background pass): profiles per CPU-second, next to a bare scan of the
 * same profiles. (2) track() throughput on A next to B, the same kind of stream, alternating A and B
 * so that both see the same heap, the same garbage collector and the same neighbours on the machine.
 */
const bench: Benchmark = {
  name: "segments",
  async run() {
    // Two bases of a million people need more than Node's default heap: run again with room (and gc()).
    if (getHeapStatistics().heap_size_limit < 5 * 2 ** 30 || typeof (globalThis as { gc?: unknown }).gc !== "function") {
      const child = spawnSync(process.execPath, ["--max-old-space-size=6144", "--expose-gc", join(import.meta.dirname, "run.js"), "segments"], { stdio: "inherit" });
      if (child.status !== 0) throw new Error(`segments bench failed (exit ${child.status})`);
      return;
    }
    const make = async () => {
      const nudge = await createNudge({ workspace: WS, plugins: [storageMemory()], logger: silentLogger() });
      await nudge.start();
      return nudge;
    };
    const a = await make();
    const b = await make();
    const t = performance.now();
    const seeded = await seed(a, a.clock.now());
    await seed(b, a.clock.now());
    console.log(`seeded twice ${fmt(PROFILES)} profiles and ${fmt(seeded)} events in ${round((performance.now() - t) / 1000)} s, heap ${heapMb()} MB`);

    // Warm-up, not measured.
    for (const n of [a, b]) for (const kind of ["realistic", "adversarial"] as const) await ingest(n, stream(kind, 1, 5_000, `warm-${kind}`));

    const scan = await scanRate(a);
    const full = await cpuSeconds(async () => {
      for (const s of SEGMENTS) await a.segments.put(s);
      await a.drain();
    });
    const counts = await Promise.all(SEGMENTS.map(async (s) => `${s.id} ${fmt(await a.segments.count(s.id))}`));
    console.log(`10 segments evaluated for everyone in ${round(full.cpu)} CPU-s, ${round(full.wall)} s wall (${counts.join(", ")}), heap ${heapMb()} MB`);

    // The segment code paths warm up too, on both sides, before anything is measured.
    for (const n of [a, b]) for (const kind of ["realistic", "adversarial"] as const) await ingest(n, stream(kind, 50, 20_000, `warm2-${kind}`));

    let changes = 0;
    a.hooks.on("segment.entered", () => changes++);
    a.hooks.on("segment.exited", () => changes++);
    const totals = { on: { realistic: zero(), adversarial: zero() }, off: { realistic: zero(), adversarial: zero() } };
    const changed = { realistic: 0, adversarial: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      for (const kind of ["realistic", "adversarial"] as const) {
        const events = stream(kind, 100 + r * 2 + (kind === "realistic" ? 0 : 1), EVENTS_PER_ROUND, `${kind}-${r}`);
        // Alternate who goes first, so a drift of the machine falls on both.
        for (const side of r % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const)) {
          const before = changes;
          const m = await measure(side === "on" ? a : b, events);
          totals[side][kind].cpu += m.cpu;
          totals[side][kind].wall += m.wall;
          totals[side][kind].events += events.length;
          if (side === "on") changed[kind] += changes - before;
        }
      }
    }
    await a.stop();
    await b.stop();
    const rate = (x: Totals, by: "cpu" | "wall") => x.events / x[by];
    for (const kind of ["realistic", "adversarial"] as const) {
      const on = totals.on[kind];
      const off = totals.off[kind];
      console.log(
        `${kind}: with segments ${fmt(rate(on, "cpu"))} events/CPU-s (${fmt(rate(on, "wall"))}/s wall, ${fmt(changed[kind])} membership changes), ` +
          `without ${fmt(rate(off, "cpu"))} events/CPU-s (${fmt(rate(off, "wall"))}/s wall): ratio ${round(rate(on, "cpu") / rate(off, "cpu"), 3)} CPU, ${round(rate(on, "wall") / rate(off, "wall"), 3)} wall`,
      );
    }

    if (TRIAL) return;
    const millions = PROFILES / 1_000_000;
    const ingestFigure = (kind: "realistic" | "adversarial", what: string, target?: string) => ({
      benchmark: "segments",
      metric: `track() + processing with 10 segments, ${millions}M profiles, ${what}, storage-memory, sequential`,
      unit: "events/CPU-s",
      value: round(rate(totals.on[kind], "cpu")),
      baseline: "same events, twin instance without segments (alternating)",
      baselineValue: round(rate(totals.off[kind], "cpu")),
      ...(target ? { target } : {}),
    });
    record("segments", [
      {
        benchmark: "segments",
        metric: `evaluate 10 segments from scratch, ${millions}M profiles, storage-memory (${round(full.cpu)} CPU-s)`,
        unit: "profiles/CPU-s",
        value: round(PROFILES / full.cpu),
        baseline: "ProfileStore.list scan",
        baselineValue: round(scan),
      },
      ingestFigure("realistic", "realistic stream (80% of events from 10% of people; 17% name a segment)", ">= 0.8"),
      ingestFigure("adversarial", "adversarial stream (anyone; every event names a segment)"),
    ]);
  },
};
export default bench;
