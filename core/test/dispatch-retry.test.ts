import { describe, expect, it } from "vitest";
import { ChannelDeferredError, ChannelRejectedError, ChannelUnavailableError, RateLimitedError } from "@nudge/core";
import { iso, logged, person, resumeTimer, sms, world } from "./dispatch-world.js";

const exact = { retry: { baseMs: 30_000, maxMs: 30 * 60_000, jitter: 0, maxAttemptsPerChannel: 4 } };
const timeout = () => new ChannelUnavailableError("provider timed out", { providerCode: "ETIMEDOUT" });

describe("dispatch: retries", () => {
  it("retries transient errors on an exponential schedule of durable timers, with one provider idempotency key", async () => {
    const w = await world({ channels: [{ ...sms, failures: [timeout(), timeout(), timeout()] }], settings: { dispatch: exact } });
    const p = await person(w, "retry");
    const t0 = w.clock.now();
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "r1", channel: "sms", content: { text: "주문 확인" } });
    expect(m.status).toBe("queued");
    const due: (string | null)[] = [iso(await resumeTimer(w, m.id))];
    for (let i = 0; i < 3; i++) {
      w.clock.set((await resumeTimer(w, m.id))!);
      await w.nudge.drain();
      due.push(iso(await resumeTimer(w, m.id)));
    }
    expect(due).toEqual([iso(t0 + 30_000), iso(t0 + 90_000), iso(t0 + 210_000), null]);
    const final = await logged(w, m.id);
    expect(final.status).toBe("sent");
    expect(final.attempts.map((a) => [a.attempt, a.status, a.providerCode ?? null, iso(a.at)])).toEqual([
      [1, "retrying", "ETIMEDOUT", iso(t0)],
      [2, "retrying", "ETIMEDOUT", iso(t0 + 30_000)],
      [3, "retrying", "ETIMEDOUT", iso(t0 + 90_000)],
      [4, "sent", null, iso(t0 + 210_000)],
    ]);
    // A refused try costs nothing; the one that went through costs its price.
    expect(final.attempts.map((a) => a.cost?.amount)).toEqual([0, 0, 0, 9.9]);
    expect(new Set(w.probe.calls.map((c) => c.idempotencyKey))).toEqual(new Set(["send:r1:sms"]));
    await w.nudge.stop();
  });

  it("jitter keeps each delay between half and all of the exponential step", async () => {
    const w = await world({ channels: [{ ...sms, failures: [timeout(), timeout()] }] });
    const p = await person(w, "jitter");
    const t0 = w.clock.now();
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "r2", channel: "sms", content: { text: "x" } });
    const first = (await resumeTimer(w, m.id))! - t0;
    expect(first).toBeGreaterThanOrEqual(15_000);
    expect(first).toBeLessThanOrEqual(30_000);
    w.clock.set(t0 + first);
    await w.nudge.drain();
    const second = (await resumeTimer(w, m.id))! - (t0 + first);
    expect(second).toBeGreaterThanOrEqual(30_000);
    expect(second).toBeLessThanOrEqual(60_000);
    await w.nudge.stop();
  });

  it("honours Retry-After on 429 and a provider's not-before time", async () => {
    const notBefore = Date.parse("2026-03-02T23:00:00Z");
    const w = await world({
      channels: [{ ...sms, failures: [new RateLimitedError("429", { retryAfterMs: 7_000 }), new ChannelDeferredError("outside sending hours", { notBefore, providerCode: "3022" })] }],
      settings: { dispatch: exact },
    });
    const p = await person(w, "limited");
    const t0 = w.clock.now();
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "r3", channel: "sms", content: { text: "x" } });
    expect(await resumeTimer(w, m.id)).toBe(t0 + 7_000);
    w.clock.advance(7_000);
    await w.nudge.drain();
    expect(await resumeTimer(w, m.id)).toBe(notBefore);
    expect((await logged(w, m.id)).attempts.map((a) => a.errorCode)).toEqual(["NUDGE_CHANNEL_RATE_LIMITED", "NUDGE_CHANNEL_DEFERRED"]);
    await w.nudge.stop();
  });

  it("never retries a permanent error, and gives up after the last transient try", async () => {
    const w = await world({
      channels: [{ ...sms, failures: [new ChannelRejectedError("invalid number", { providerCode: "E_INVALID" })] }],
      settings: { dispatch: { ...exact, retry: { ...exact.retry, maxAttemptsPerChannel: 2 } } },
    });
    const p = await person(w, "permanent");
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "r4", channel: "sms", content: { text: "x" } });
    expect(m.status).toBe("failed");
    expect(m.attempts).toEqual([expect.objectContaining({ status: "failed", errorCode: "NUDGE_CHANNEL_REJECTED", providerCode: "E_INVALID" })]);
    expect(m.decisions).toEqual([expect.objectContaining({ policy: "fallback", outcome: "drop", reason: "no channel of the chain could deliver it (sms: failed (NUDGE_CHANNEL_REJECTED))" })]);
    expect(await resumeTimer(w, m.id)).toBeNull();
    await w.nudge.stop();

    const w2 = await world({ channels: [{ ...sms, failures: [timeout(), timeout()] }], settings: { dispatch: { ...exact, retry: { ...exact.retry, maxAttemptsPerChannel: 2 } } } });
    const p2 = await person(w2, "transient");
    const m2 = await w2.nudge.send({ profileId: p2.id, idempotencyKey: "r5", channel: "sms", content: { text: "x" } });
    w2.clock.advance(30_000);
    await w2.nudge.drain();
    const gaveUp = await logged(w2, m2.id);
    expect(gaveUp.status).toBe("failed");
    expect(gaveUp.attempts.map((a) => a.status)).toEqual(["retrying", "failed"]);
    await w2.nudge.stop();
  });
});
