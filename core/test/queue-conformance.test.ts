import { describe, expect, it } from "vitest";
import { silentLogger } from "@nudge/core";
import { InProcessQueue } from "../src/engine/queue/in-process-queue.js";
import { describeQueueConformance } from "@nudge/core/testkit";

// The default queue, as createNudge builds it but with a small concurrency, so the kit fills it quickly.
describeQueueConformance("in-process", ({ logger, maxWaiting }) => new InProcessQueue(logger, { concurrency: 8, maxWaiting }));

describe("in-process queue: one busy key", () => {
  it("a job adding a follow-up of its own key never waits for its own key's chain, however long it is", async () => {
    const queue = new InProcessQueue(silentLogger(), { concurrency: 4, maxWaiting: 4 });
    const ran: string[] = [];
    let gate!: () => void;
    const opened = new Promise<void>((resolve) => (gate = resolve));
    queue.process("first", async () => {
      await opened;
      // Ten jobs of this key wait behind this one now, more than maxWaiting: a follow-up must still go in.
      await queue.add({ name: "step", key: "p1", data: { n: "follow-up" } });
      ran.push("first");
    });
    queue.process("step", async (d) => void ran.push(String(d["n"])));
    await queue.start();
    await queue.add({ name: "first", key: "p1", data: {} });
    for (let i = 0; i < 10; i++) await queue.add({ name: "step", key: "p1", data: { n: `s${i}` } });
    gate();
    await queue.onIdle();
    expect(ran).toEqual(["first", ...Array.from({ length: 10 }, (_, i) => `s${i}`), "follow-up"]);
    await queue.close();
  });
});

describe("in-process queue: close", () => {
  it("runs the follow-ups its running jobs add meanwhile (nothing outlives the process to run them later), then refuses adds", async () => {
    const queue = new InProcessQueue(silentLogger(), { concurrency: 2, maxWaiting: 10 });
    const ran: string[] = [];
    let gate!: () => void;
    const opened = new Promise<void>((resolve) => (gate = resolve));
    queue.process("first", async () => {
      await opened;
      await queue.add({ name: "next", key: "p1", data: { n: 1 } });
      ran.push("first");
    });
    // A follow-up that adds one of its own: a chain of them is run to its end.
    queue.process("next", async (d) => {
      const n = Number(d["n"]);
      if (n < 3) await queue.add({ name: "next", key: "p1", data: { n: n + 1 } });
      ran.push(`next ${n}`);
    });
    await queue.start();
    await queue.add({ name: "first", key: "p1", data: {} });
    const closing = queue.close();
    gate();
    await closing;
    expect(ran).toEqual(["first", "next 1", "next 2", "next 3"]);
    await expect(queue.add({ name: "next", key: "p1", data: { n: 9 } })).rejects.toMatchObject({ code: "NUDGE_STOPPED" });
    expect(await queue.stats()).toEqual({ waiting: 0, active: 0 });
  });

  it("an add while closing with nothing left to run is refused", async () => {
    const queue = new InProcessQueue(silentLogger(), { concurrency: 2, maxWaiting: 10 });
    queue.process("step", async () => undefined);
    await queue.start();
    const closing = queue.close();
    await expect(queue.add({ name: "step", data: {} })).rejects.toMatchObject({ code: "NUDGE_STOPPED" });
    await closing;
  });
});
