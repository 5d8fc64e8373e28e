import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NudgeError } from "../errors.js";
import type { Job, JobHandler, JobQueue } from "../ports/job-queue.js";
import type { Logger } from "../ports/logger.js";

/** What the kit asks of the queue it is given. */
export interface QueueSetup {
  /** Unique to this queue within the run: keep queues apart with it (a durable queue's workspace, say). */
  name: string;
  /** Build the queue so that `add` waits (back-pressure) once this many jobs wait. */
  maxWaiting: number;
  /** The queue logs through this logger; the kit reads what it logs. */
  logger: Logger;
}

export interface QueueConformanceOptions {
  /** Called before the suite; return a reason to skip it, e.g. a service is down. */
  available?: () => Promise<true | string>;
  /** Extra cleanup after every queue is closed (delete the run's keys ...). */
  cleanup?: () => Promise<void>;
  /**
   * How long the kit watches before concluding that something did not happen (an add still waits, close has
   * not returned). Default 100 ms; give a queue in another process (Redis) a few hundred.
   */
  quietMs?: number;
}

/** Adds beyond `maxWaiting` the kit makes before it concludes that `add` never waits; jobs that run at once must be fewer. */
const FILL_LIMIT = 1000;

/**
 * The suite every JobQueue passes: exactly what the port (`ports/job-queue.ts`) promises. Every added job runs with
 * its data; one key's jobs run one at a time in the order added; `add` waits when the queue is full; `onIdle` waits
 * for running jobs and their follow-ups; `close` lets the running job finish, is idempotent, and ends the taking of
 * jobs. Where the port is silent, only what the engine relies on and every queue honours is checked: a failing job
 * is logged and does not stop its key, and an unknown job name or an add after close is refused with a stable code.
 * Nothing here is timed by a clock: each check waits for an outcome, and `quietMs` only for "not yet".
 */
export function describeQueueConformance(name: string, make: (setup: QueueSetup) => JobQueue | Promise<JobQueue>, options: QueueConformanceOptions = {}): void {
  describe(`queue conformance: ${name}`, () => {
    const quietMs = options.quietMs ?? 100;
    const run = Math.random().toString(36).slice(2, 8);
    let skipReason: string | null = null;
    let reachable = false;
    let made: JobQueue[] = [];
    let holds = new Holds();
    let count = 0;

    beforeAll(async () => {
      const availability = options.available ? await options.available() : true;
      if (availability !== true) skipReason = availability;
      else reachable = true;
    });
    afterEach(async () => {
      holds.releaseAll(); // a failed check must not leave close() waiting for a held job
      await Promise.all(made.map((q) => q.close()));
      made = [];
      holds = new Holds();
    });
    afterAll(async () => {
      if (reachable) await options.cleanup?.(); // not after a failed probe: the service is not there to clean
    });

    const test = (title: string, fn: () => Promise<void>, timeout?: number) =>
      it(
        title,
        async (ctx) => {
          if (skipReason !== null) return ctx.skip(skipReason);
          await fn();
        },
        timeout,
      );

    /** A queue made by the plugin, its handlers declared and (unless told not to) started. */
    async function open(handlers: Record<string, JobHandler>, over: { maxWaiting?: number; start?: boolean } = {}) {
      const log = capturingLogger();
      const q = await make({ name: `conformance-${run}-${++count}`, maxWaiting: over.maxWaiting ?? 10_000, logger: log.logger });
      made.push(q);
      for (const [jobName, handler] of Object.entries(handlers)) q.process(jobName, handler);
      if (over.start !== false) await q.start();
      return { q, lines: log.lines };
    }

    /** Adds held jobs one by one until an add waits; returns that add, still pending (in an object: not awaited). */
    async function fill(q: JobQueue, maxWaiting: number): Promise<{ blocked: Promise<void> }> {
      for (let i = 0; i < maxWaiting + FILL_LIMIT; i++) {
        const adding = q.add({ name: "hold", data: { i } });
        if (!(await settlesWithin(adding, quietMs))) return { blocked: adding };
        await adding;
      }
      throw new Error(`add never waited after ${maxWaiting + FILL_LIMIT} held jobs with maxWaiting ${maxWaiting}`);
    }

    test("runs every added job once, through the handler of its name, with its JSON data", async () => {
      const data = { text: "안녕하세요 👋", n: 42, x: -1.5, yes: true, no: false, nil: null, list: [1, "two", { three: 3 }], deep: { a: { b: "c" } }, empty: {} };
      const seen: Record<string, unknown[]> = { a: [], b: [] };
      const { q } = await open({ a: async (d) => void seen["a"]!.push(d), b: async (d) => void seen["b"]!.push(d) });
      await q.add({ name: "a", data });
      for (let i = 0; i < 20; i++) await q.add({ name: i % 2 ? "a" : "b", data: { i }, ...(i % 3 ? { key: `k${i % 4}` } : {}) });
      await q.onIdle();
      expect(seen["a"]![0]).toEqual(data);
      expect(seen["a"]!.slice(1).map((d) => (d as { i: number }).i).sort((x, y) => x - y)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
      expect(seen["b"]!.map((d) => (d as { i: number }).i).sort((x, y) => x - y)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
      expect(await q.stats()).toEqual({ waiting: 0, active: 0 });
    });

    test("jobs with one key run one at a time, in the order added, whatever runs beside them", async () => {
      const seen = new Map<string, number[]>();
      const running = new Map<string, number>();
      let overlaps = 0;
      let keyless = 0;
      const { q } = await open({
        step: async (d) => {
          const key = String(d["key"]);
          running.set(key, (running.get(key) ?? 0) + 1);
          if (running.get(key)! > 1) overlaps++;
          await pause(Math.random() * 3);
          seen.set(key, [...(seen.get(key) ?? []), Number(d["n"])]);
          running.set(key, running.get(key)! - 1);
        },
        other: async () => {
          await pause(Math.random() * 3);
          keyless++;
        },
      });
      const adds: Promise<void>[] = []; // added without waiting for each other: the call order is the order added
      for (let n = 0; n < 30; n++) {
        for (let k = 0; k < 10; k++) adds.push(q.add({ name: "step", key: `person-${k}`, data: { key: `person-${k}`, n } }));
        adds.push(q.add({ name: "other", data: { n } }));
      }
      await Promise.all(adds);
      await q.onIdle();
      expect(seen.size).toBe(10);
      for (const ns of seen.values()) expect(ns).toEqual(Array.from({ length: 30 }, (_, n) => n));
      expect(overlaps).toBe(0);
      expect(keyless).toBe(30);
    }, 60_000);

    test("a failing job is logged at error level and does not stop its key's later jobs", async () => {
      const ran: number[] = [];
      const { q, lines } = await open({
        step: async (d) => {
          if (d["fail"] === true) throw new Error(`conformance failure ${String(d["n"])}`);
          ran.push(Number(d["n"]));
        },
      });
      for (const n of [0, 1, 2]) await q.add({ name: "step", key: "same", data: { n, fail: n === 1 } });
      await q.add({ name: "step", data: { n: 3, fail: true } });
      await q.onIdle();
      expect(ran).toEqual([0, 2]);
      for (const n of [1, 3]) expect(lines.some((l) => Number(l["level"]) >= 50 && JSON.stringify(l).includes(`conformance failure ${n}`))).toBe(true);
      expect(await q.stats()).toEqual({ waiting: 0, active: 0 });
    });

    test("stats count the waiting and the running jobs, each once", async () => {
      const { q } = await open({ hold: () => holds.hold() });
      for (let i = 0; i < 5; i++) await q.add({ name: "hold", key: "one", data: { i } });
      await eventually(async () => expect(await q.stats()).toEqual({ waiting: 4, active: 1 }));
      holds.releaseAll();
      await q.onIdle();
      expect(await q.stats()).toEqual({ waiting: 0, active: 0 });
    });

    test("onIdle waits for the running job and the follow-up it adds", async () => {
      let followUp = false;
      const { q } = await open({
        parent: async () => {
          await holds.hold();
          await q.add({ name: "child", key: "child", data: {} });
        },
        child: async () => {
          await pause(20);
          followUp = true;
        },
      });
      await q.onIdle(); // an idle queue is idle at once
      await q.add({ name: "parent", data: {} });
      await eventually(() => expect(holds.running).toBe(1));
      const idle = q.onIdle();
      expect(await settlesWithin(idle, quietMs)).toBe(false);
      holds.releaseAll();
      await idle;
      expect(followUp).toBe(true);
    });

    test("jobs that add jobs while the queue is full never stall it", async () => {
      // Every running job adds a follow-up while more than maxWaiting jobs wait: if such an add waited for room
      // like any caller's, the running jobs would wait on each other and nothing would ever finish.
      const maxWaiting = 4;
      const parents = 40;
      const children: number[] = [];
      const { q } = await open(
        {
          parent: async (d) => {
            await holds.hold();
            await q.add({ name: "child", data: d });
          },
          child: async (d) => void children.push(Number(d["i"])),
        },
        { maxWaiting },
      );
      // Not awaited one by one: these adds themselves wait once the queue is full, as a busy caller's would.
      const adding = Promise.all(Array.from({ length: parents }, (_, i) => q.add({ name: "parent", data: { i } })));
      await eventually(() => expect(holds.running).toBeGreaterThan(0));
      holds.releaseAll();
      await adding;
      await q.onIdle();
      expect(children.sort((a, b) => a - b)).toEqual(Array.from({ length: parents }, (_, i) => i));
    }, 30_000);

    // Keyless jobs: whether jobs of one busy key count toward "full" is the queue's choice. The in-process queue
    // leaves them out, because a job adding a follow-up of its own key must never wait for itself.
    test("add waits while the queue is full, and goes on once jobs finish", async () => {
      const maxWaiting = 4;
      const ran: number[] = [];
      const hold = async (d: Record<string, unknown>) => {
        await holds.hold();
        ran.push(Number(d["i"]));
      };
      const { q } = await open({ hold }, { maxWaiting });
      const { blocked } = await fill(q, maxWaiting);
      expect((await q.stats()).waiting).toBeLessThanOrEqual(maxWaiting);
      expect(await settlesWithin(blocked, quietMs)).toBe(false);
      holds.releaseAll();
      await blocked;
      await q.onIdle();
      expect(ran.length).toBeGreaterThan(maxWaiting);
      expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: ran.length }, (_, i) => i));
    });

    test("one key's adds keep their order when the first waited for room and the second came once there was some", async () => {
      const maxWaiting = 4;
      const order: number[] = [];
      const { q } = await open({ hold: () => holds.hold(), keyed: async (d) => void order.push(Number(d["n"])) }, { maxWaiting });
      const { blocked } = await fill(q, maxWaiting);
      const first = q.add({ name: "keyed", key: "k", data: { n: 1 } });
      expect(await settlesWithin(first, quietMs)).toBe(false);
      holds.releaseOne(); // a running job ends: one waiting job can start, making room for one
      await pause(quietMs);
      const second = q.add({ name: "keyed", key: "k", data: { n: 2 } });
      await pause(quietMs);
      holds.releaseAll();
      await Promise.all([blocked, first, second]);
      await q.onIdle();
      expect(order).toEqual([1, 2]);
    });

    test("close lets the running job finish, is idempotent, and no job runs after it", async () => {
      let finished = 0;
      let started = 0;
      const { q } = await open({
        hold: async () => {
          started++;
          await holds.hold();
          finished++;
        },
      });
      for (let i = 0; i < 3; i++) await q.add({ name: "hold", key: "k", data: { i } });
      await eventually(() => expect(holds.running).toBe(1));
      const closing = [q.close(), q.close()];
      expect(await settlesWithin(Promise.race(closing), quietMs)).toBe(false);
      holds.releaseAll();
      await Promise.all(closing);
      expect(finished).toBeGreaterThanOrEqual(1);
      const startedAtClose = started;
      await q.close();
      await expect(q.add({ name: "hold", key: "k", data: {} })).rejects.toMatchObject({ code: "NUDGE_STOPPED", retryable: true });
      await q.onIdle(); // a closed queue is idle
      await pause(quietMs);
      expect(started).toBe(startedAtClose);
      expect(finished).toBe(started);
    });

    test("close before start resolves, twice, and refuses later adds", async () => {
      const { q } = await open({ step: async () => undefined }, { start: false });
      await q.close();
      await q.close();
      const err = await q.add({ name: "step", data: {} }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(NudgeError);
      expect(err).toMatchObject({ code: "NUDGE_STOPPED" });
    });

    test("add refuses a job name no handler was declared for", async () => {
      const { q } = await open({ step: async () => undefined });
      const unknown: Job = { name: "nobody-handles-this", data: {} };
      await expect(q.add(unknown)).rejects.toMatchObject({ code: "NUDGE_NO_JOB_HANDLER" });
    });
  });
}

/** Jobs that wait until the test releases them, oldest first. */
class Holds {
  private readonly held: (() => void)[] = [];
  private open = false;
  get running(): number {
    return this.held.length;
  }
  hold(): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => this.held.push(resolve));
  }
  releaseOne(): void {
    this.held.shift()?.();
  }
  releaseAll(): void {
    this.open = true;
    for (const release of this.held.splice(0)) release();
  }
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([p.then(() => true, () => true), new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)))]);
  clearTimeout(timer);
  return settled;
}

/** Retries a check until it passes, for outcomes a queue in another process reaches a moment later. */
async function eventually(check: () => unknown, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await pause(5);
    }
  }
}

/** A pino logger whose JSON lines are kept in `lines`, for checking what a plugin logged (and at which level). */
export function capturingLogger(level: "debug" | "info" | "warn" = "info"): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split("\n")) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level }, stream), lines };
}
