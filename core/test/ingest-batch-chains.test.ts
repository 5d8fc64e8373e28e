import { describe, expect, it } from "vitest";
import { chains, runChains } from "../src/engine/ingest/batch-chains.js";

describe("batch chains", () => {
  it("keeps each person's items together and in order, linking ids an identify joins", () => {
    const items = [
      { n: 1, anonymousId: "a1" },
      { n: 2, userId: "u2" },
      { n: 3, userId: "u1", anonymousId: "a1" },
      { n: 4, userId: "u1" },
      { n: 5, anonymousId: "a9" },
      { n: 6, userId: "u2" },
      { n: 7, userId: "u9", anonymousId: "a9" },
      { n: 8, anonymousId: "a1" },
    ];
    expect(chains(items).map((c) => c.map((i) => i.n))).toEqual([[1, 3, 4, 8], [2, 6], [5, 7]]);
  });

  it("a batch that links nothing groups by its one id; a userId and an anonymousId of the same text are different people", () => {
    const items = [
      { n: 1, userId: "x" },
      { n: 2, anonymousId: "x" },
      { n: 3, userId: "y" },
      { n: 4, userId: "x" },
      { n: 5, anonymousId: "x" },
    ];
    expect(chains(items).map((c) => c.map((i) => i.n))).toEqual([[1, 4], [2, 5], [3]]);
    // The same batch through the linking path (one item naming both ids elsewhere) agrees on these people.
    const linked = chains([...items, { n: 6, userId: "z", anonymousId: "w" }]);
    expect(linked.map((c) => c.map((i) => i.n))).toEqual([[1, 4], [2, 5], [3], [6]]);
    // Items may be wrapped: the ids are read through the accessor.
    expect(chains(items.map((i) => ({ wrapped: i })), (w) => w.wrapped).map((c) => c.map((w) => w.wrapped.n))).toEqual([[1, 4], [2, 5], [3]]);
  });

  it("runs chains concurrently up to the limit, each chain in order", async () => {
    const groups = [[1, 2, 3], [4, 5], [6], [7, 8]];
    const order: number[] = [];
    let active = 0;
    let peak = 0;
    const results = await runChains(groups, 2, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 1));
      order.push(n);
      active--;
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(results.sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    for (const g of groups) expect(order.filter((n) => g.includes(n))).toEqual(g);
  });

  it("stops taking items after a failure, lets started ones finish, rethrows the first error", async () => {
    const ran: number[] = [];
    await expect(
      runChains([[1, 2], [3, 4], [5, 6]], 2, async (n) => {
        ran.push(n);
        await new Promise((r) => setTimeout(r, n));
        if (n === 1) throw new Error("storage down");
        return n;
      }),
    ).rejects.toThrow("storage down");
    expect(ran).not.toContain(2);
    expect(ran).not.toContain(5);
  });
});
