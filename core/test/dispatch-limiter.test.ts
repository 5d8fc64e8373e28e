import { describe, expect, it } from "vitest";
import { ProviderLimiter } from "@nudge/core";
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
});
