import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { ProviderLimiter } from "../src/engine/dispatch/provider-limiter.js";
import { person, sms, world } from "./dispatch-world.js";

const gated = () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { gate, release: () => release() };
};

describe("dispatch: provider rate limits and back-pressure", () => {
  it("bounds sends in flight to what the channel declares; host settings override it", async () => {
    for (const [settings, expected] of [
      [{}, 3],
      [{ dispatch: { providers: { sms: { concurrency: 5 } } } }, 5],
    ] as const) {
      const g = gated();
      const w = await world({ channels: [{ ...sms, gate: g.gate, rateLimit: { concurrency: 3, perSecond: 100 } }], settings });
      const p = await person(w, "busy");
      const sends = Array.from({ length: 20 }, (_, i) => w.nudge.send({ profileId: p.id, idempotencyKey: `l${i}`, channel: "sms", content: { text: "x" } }));
      while (w.probe.inFlight < expected) await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(w.probe.inFlight).toBe(expected);
      g.release();
      expect((await Promise.all(sends)).every((m) => m.status === "sent")).toBe(true);
      expect(w.probe.maxInFlight).toBe(expected);
      await w.nudge.stop();
    }
  });

  it("callers wait once too many sends are queued for one provider (memory stays bounded)", async () => {
    const g = gated();
    const w = await world({ channels: [{ ...sms, gate: g.gate }], settings: { dispatch: { providers: { sms: { concurrency: 1 } }, maxWaitingPerProvider: 4 } } });
    const p = await person(w, "burst");
    const limiter = w.nudge.resolve(ProviderLimiter as never) as ProviderLimiter;
    const sends = Array.from({ length: 30 }, (_, i) => w.nudge.send({ profileId: p.id, idempotencyKey: `b${i}`, channel: "sms", content: { text: "x" } }));
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    expect(limiter.stats("sms")).toEqual({ active: 1, waiting: 4 });
    g.release();
    expect((await Promise.all(sends)).filter((m) => m.status === "sent")).toHaveLength(30);
    expect(limiter.stats("sms")).toEqual({ active: 0, waiting: 0 });
    await w.nudge.stop();
  });

  it("per-second limits come from the same settings (p-queue interval caps)", async () => {
    const w = await world({ channels: [{ ...sms, rateLimit: { perSecond: 100 } }], settings: { dispatch: { defaultProvider: { concurrency: 8 } } } });
    const limiter = w.nudge.resolve(ProviderLimiter as never) as ProviderLimiter;
    const channel = { id: "sms", provider: "x", rateLimit: { perSecond: 100 } } as never;
    expect(limiter.limitsOf(channel)).toEqual({ concurrency: 8, perSecond: 100 });
    await w.nudge.stop();
  });

  describe("calls started outside the queue (no per-second limit, a slot free, nobody waiting)", () => {
    const channel = (concurrency: number, perSecond?: number) => ({ id: "direct", provider: "x", rateLimit: { concurrency, ...(perSecond === undefined ? {} : { perSecond }) } }) as never;
    const limiterOf = async () => {
      const w = await world({ channels: [sms] });
      return { w, limiter: w.nudge.resolve(ProviderLimiter as never) as ProviderLimiter };
    };

    it("share the channel's limit with queued calls: never more in flight, every call runs, in order once queued", async () => {
      const { w, limiter } = await limiterOf();
      const ch = channel(3);
      let now = 0;
      let max = 0;
      const started: number[] = [];
      const gates: (() => void)[] = [];
      const call = (i: number) =>
        limiter.run(ch, async () => {
          started.push(i);
          max = Math.max(max, ++now);
          await new Promise<void>((r) => gates.push(r));
          now--;
          return i;
        });
      const first = [call(0), call(1), call(2)];
      expect(limiter.stats("direct")).toEqual({ active: 3, waiting: 0 });
      const rest = Array.from({ length: 7 }, (_, i) => call(3 + i));
      expect(limiter.stats("direct")).toEqual({ active: 3, waiting: 7 });
      // Release one at a time, oldest first: each freed slot goes to the next waiting call, none beyond.
      for (let done = 0; done < 10; done++) {
        while (gates.length === 0) await new Promise((r) => setImmediate(r));
        gates.shift()!();
        for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
        expect(now).toBeLessThanOrEqual(3);
      }
      expect(await Promise.all([...first, ...rest])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(max).toBe(3);
      expect(limiter.stats("direct")).toEqual({ active: 0, waiting: 0 });
      // With every slot back, calls start outside the queue again, up to the limit.
      const again = [call(10), call(11), call(12), call(13)];
      expect(limiter.stats("direct")).toEqual({ active: 3, waiting: 1 });
      while (gates.length > 0 || now > 0) {
        gates.splice(0).forEach((g) => g());
        await new Promise((r) => setImmediate(r));
      }
      expect(await Promise.all(again)).toEqual([10, 11, 12, 13]);
      expect(max).toBe(3);
      await w.nudge.stop();
    });

    it("a call that throws or rejects gives its slot back", async () => {
      const { w, limiter } = await limiterOf();
      const ch = channel(2);
      await expect(limiter.run(ch, () => { throw new Error("sync"); })).rejects.toThrow("sync");
      await expect(limiter.run(ch, () => Promise.reject(new Error("async")))).rejects.toThrow("async");
      expect(limiter.stats("direct")).toEqual({ active: 0, waiting: 0 });
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => limiter.run(ch, async () => i)));
      expect(results).toEqual([0, 1, 2, 3, 4, 5]);
      await w.nudge.stop();
    });

    it("a per-second limit sends every call through p-queue, which counts them", async () => {
      const { w, limiter } = await limiterOf();
      const ch = channel(5, 2);
      const gates: (() => void)[] = [];
      const calls = Array.from({ length: 3 }, () => limiter.run(ch, () => new Promise<void>((r) => gates.push(r))));
      // Two started within this second, the third waits for the next interval even though slots are free.
      expect(limiter.stats("direct")).toEqual({ active: 2, waiting: 1 });
      gates.splice(0).forEach((g) => g());
      while (gates.length === 0) await new Promise((r) => setTimeout(r, 20));
      gates.splice(0).forEach((g) => g());
      await Promise.all(calls);
      await w.nudge.stop();
    });
  });
});
