import { describe, expect, it } from "vitest";
import { InProcessQueue, silentLogger } from "@nudge/core";
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
