import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PQueue from "p-queue";
import { z } from "zod";
import { createNudge, definePlugin, FakeClock, silentLogger, Tokens, type Channel, type Clock, type JourneyDefinitionInput, type Nudge } from "@nudge/core";
import { storageSqlite } from "@nudge/storage-sqlite";
import type { Benchmark } from "./run.js";
import { record, round, type BenchFigure } from "./record.js";

const FULL_SIZE = 100_000;
const PROFILES = Number(process.env["JOURNEYS_BENCH_PROFILES"] ?? FULL_SIZE);
/** Jobs the in-process queue runs at once: the engine's default, and the baseline's. */
const CONCURRENCY = 32;
/** track() calls in flight while feeding events (a few HTTP requests at once). */
const PRODUCERS = 16;
const RATE_PER_S = 1_000;
const LATENCY_SECONDS = 10;
/** People known before the latency run: events come from existing customers, as they mostly do. */
const LATENCY_PEOPLE = 12_000;
const WARMUP_SECONDS = 2;
const HOUR = 3_600_000;

/** send -> wait one hour -> send: an enrollment completes when the second message is out. */
const threeSteps: JourneyDefinitionInput = {
  id: "bench-3-steps",
  trigger: { type: "event", event: "signed_up" },
  steps: [
    { id: "hello", type: "send", channel: "noop", content: { text: "Hello {{ profile.userId }}" }, next: "later" },
    { id: "later", type: "wait", duration: "PT1H", next: "tip" },
    { id: "tip", type: "send", channel: "noop", content: { text: "A tip for {{ profile.userId }}" } },
  ],
};

/** The trigger event sends at once: what an event-to-send latency measures. */
const oneSend: JourneyDefinitionInput = {
  id: "bench-instant",
  trigger: { type: "event", event: "clicked_buy" },
  entry: { reentry: "always" },
  steps: [{ id: "confirm", type: "send", channel: "noop", content: { text: "Thanks {{ profile.userId }}" } }],
};

/** A channel whose provider answers at once; `onSend` sees every call. */
function noopChannel(onSend: (to: string) => void) {
  return definePlugin({
    id: "channel-noop",
    kind: "channel",
    configSchema: z.object({}),
    register(ctx) {
      const channel: Channel<{ text: string }> = {
        id: "noop",
        providers: ["noop"],
        contentSchema: z.object({ text: z.string() }),
        address: (p) => p.userId,
        async send(m) {
          onSend(m.to);
          return { providerMessageId: `noop-${m.context.messageId}` };
        },
      };
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    },
  })();
}

/** The embedded store in a fresh file; WAL with synchronous=normal (survives a process crash, not a power cut). */
async function instance(dir: string, name: string, clock: Clock, onSend: (to: string) => void): Promise<Nudge> {
  const nudge = await createNudge({
    workspace: "bench",
    plugins: [storageSqlite({ path: join(dir, `${name}.db`), synchronous: "normal" }), noopChannel(onSend)],
    logger: silentLogger(),
    clock,
    settings: { concurrency: CONCURRENCY },
  });
  await nudge.start();
  return nudge;
}

/** `call(i)` for i in [0, n), PRODUCERS at a time. */
async function feed(n: number, call: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      for (let i = next++; i < n; i = next++) await call(i);
    }),
  );
}

async function throughput(dir: string): Promise<{ engine: number; baseline: number }> {
  let sends = 0;
  const clock = new FakeClock("2026-03-02T00:00:00Z");
  const nudge = await instance(dir, "throughput", clock, () => sends++);
  await nudge.journeys.put(threeSteps);
  await nudge.journeys.publish(threeSteps.id);

  // The profiles exist before the clock starts: the figure is about enrolments, not sign-ups.
  await feed(PROFILES, (i) => nudge.identify({ userId: `u${i}` }));
  await nudge.drain();

  const t0 = performance.now();
  await feed(PROFILES, (i) => nudge.track({ userId: `u${i}`, event: "signed_up" }));
  await nudge.drain();
  clock.advance(HOUR);
  await nudge.drain();
  const seconds = (performance.now() - t0) / 1000;
  const completed = (await nudge.resolve(Tokens.EnrollmentStore).countByJourney("bench", threeSteps.id)).completed;
  await nudge.stop();
  if (completed !== PROFILES || sends !== 2 * PROFILES) throw new Error(`expected ${PROFILES} completed and ${2 * PROFILES} sends, got ${completed} and ${sends}`);

  // Baseline: the same number of no-op tasks through p-queue with the same concurrency.
  const pq = new PQueue({ concurrency: CONCURRENCY });
  const b0 = performance.now();
  for (let i = 0; i < PROFILES; i++) void pq.add(async () => {});
  await pq.onIdle();
  const baseline = PROFILES / ((performance.now() - b0) / 1000);
  return { engine: completed / seconds, baseline };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Issues `fire(i)` at RATE_PER_S for `seconds`, catching up when a timer tick comes late (an open loop). */
async function openLoop(seconds: number, fire: (i: number) => void): Promise<void> {
  const total = seconds * RATE_PER_S;
  const start = performance.now();
  let issued = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * RATE_PER_S));
      while (issued < due) fire(issued++);
      if (issued >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
}

async function latency(dir: string): Promise<{ p50: number; p99: number; baseP50: number; baseP99: number }> {
  const started = new Map<string, number>();
  const samples: number[] = [];
  const nudge = await instance(dir, "latency", { now: () => Date.now() }, (to) => {
    const t = started.get(to);
    if (t === undefined) return;
    samples.push(performance.now() - t);
    started.delete(to);
  });
  await nudge.journeys.put(oneSend);
  await nudge.journeys.publish(oneSend.id);
  await feed(LATENCY_PEOPLE, (i) => nudge.identify({ userId: `l${i}` }));
  await nudge.drain();
  const accepted: Promise<unknown>[] = [];
  const fire = (userId: string, measured: boolean) => {
    if (measured) started.set(userId, performance.now());
    accepted.push(nudge.track({ userId, event: "clicked_buy" }));
  };
  await openLoop(WARMUP_SECONDS, (i) => fire(`l${LATENCY_PEOPLE - 1 - (i % 2000)}`, false));
  await openLoop(LATENCY_SECONDS, (i) => fire(`l${i}`, true));
  await Promise.all(accepted);
  await nudge.drain();
  await nudge.stop();

  // Baseline: the same open loop into p-queue, each task a no-op: the floor of scheduling at this rate.
  const pq = new PQueue({ concurrency: CONCURRENCY });
  const base: number[] = [];
  await openLoop(LATENCY_SECONDS, () => {
    const t = performance.now();
    void pq.add(async () => void base.push(performance.now() - t));
  });
  await pq.onIdle();
  samples.sort((a, b) => a - b);
  base.sort((a, b) => a - b);
  if (samples.length !== LATENCY_SECONDS * RATE_PER_S) throw new Error(`expected ${LATENCY_SECONDS * RATE_PER_S} sends, got ${samples.length}`);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), baseP50: percentile(base, 50), baseP99: percentile(base, 99) };
}

const bench: Benchmark = {
  name: "journeys",
  async run() {
    const dir = mkdtempSync(join(tmpdir(), "nudge-bench-journeys-"));
    try {
      // Latency first: measured on a fresh heap, not behind the garbage of 100,000 enrollments.
      const l = await latency(dir);
      const t = await throughput(dir);
      const figures: BenchFigure[] = [
        {
          benchmark: "journeys",
          metric: `enrollments completed/s, send -> wait 1h -> send, ${PROFILES.toLocaleString("en-US")} known profiles (track() to completed), in-process queue (${CONCURRENCY}), storage-sqlite`,
          unit: "enrollments/s",
          value: round(t.engine),
          baseline: `p-queue, ${PROFILES.toLocaleString("en-US")} no-op tasks, concurrency ${CONCURRENCY}`,
          baselineValue: round(t.baseline),
        },
        {
          benchmark: "journeys",
          metric: `event-to-send latency p50 at ${RATE_PER_S} events/s of known people (track() to provider call), storage-sqlite`,
          unit: "ms",
          value: round(l.p50, 2),
          baseline: "no-op p-queue task at the same rate",
          baselineValue: round(l.baseP50, 3),
          lowerIsBetter: true,
        },
        {
          benchmark: "journeys",
          metric: `event-to-send latency p99 at ${RATE_PER_S} events/s of known people (track() to provider call), storage-sqlite`,
          unit: "ms",
          value: round(l.p99, 2),
          baseline: "no-op p-queue task at the same rate",
          baselineValue: round(l.baseP99, 3),
          lowerIsBetter: true,
          target: "p99 < 50 ms",
        },
      ];
      // Only the documented size is recorded; a smaller JOURNEYS_BENCH_PROFILES is a quick local check.
      if (PROFILES === FULL_SIZE) record("journeys", figures);
      else for (const f of figures) console.log(`${f.metric}: ${f.value} ${f.unit} (baseline ${f.baselineValue})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
