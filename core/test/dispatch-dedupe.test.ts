import { describe, expect, it, vi } from "vitest";
import { Tokens, totalCost } from "@nudge/core";
import { aMessage } from "@nudge/core/testkit";
import { logged, person, sms, world, WS } from "./dispatch-world.js";

describe("dispatch: dedupe and idempotency", () => {
  it("one key gives one message and one provider call, sequentially or concurrently", async () => {
    const w = await world();
    const p = await person(w, "dup");
    const send = () => w.nudge.send({ profileId: p.id, idempotencyKey: "same", channel: "sms", content: { text: "x" } });
    const first = await send();
    const again = await send();
    expect(again.id).toBe(first.id);
    expect(again.status).toBe("sent");
    const burst = await Promise.all(Array.from({ length: 10 }, () => w.nudge.send({ profileId: p.id, idempotencyKey: "burst", channel: "sms", content: { text: "y" } })));
    expect(new Set(burst.map((m) => m.id)).size).toBe(1);
    expect(w.probe.calls.map((c) => c.idempotencyKey)).toEqual(["send:same:sms", "send:burst:sms"]);
    await w.nudge.stop();
  });

  it("a plain send writes the log twice: claimed as it is first stored, then its result", async () => {
    const w = await world({ channels: [sms] });
    const p = await person(w, "writes");
    const store = w.nudge.resolve(Tokens.MessageStore);
    const spies = (["insert", "insertClaimed", "claimSend", "update"] as const).map((name) => [name, vi.spyOn(store, name)] as const);
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "two-writes", channel: "sms", content: { text: "x" } });
    expect(m.status).toBe("sent");
    expect(Object.fromEntries(spies.map(([name, spy]) => [name, spy.mock.calls.length]))).toEqual({ insert: 0, insertClaimed: 1, claimSend: 0, update: 1 });
    expect(await logged(w, m.id)).toMatchObject({ status: "sent", attempts: [{ status: "sent" }] });
    await w.nudge.stop();
  });

  it("one key settled without a send (no address) stores one message, even for concurrent calls", async () => {
    const w = await world({ channels: [sms] });
    const p = await person(w, "no-phone");
    await w.nudge.profiles.update(p.id, (x) => {
      delete x.contacts.phone;
      return x;
    });
    const burst = await Promise.all(Array.from({ length: 10 }, () => w.nudge.send({ profileId: p.id, idempotencyKey: "nowhere", channel: "sms", content: { text: "x" } })));
    expect(new Set(burst.map((m) => m.id)).size).toBe(1);
    // The callers that found it in flight get it as it was then; it is tried once and ends failed.
    expect(burst.filter((m) => m.status === "failed").length).toBeGreaterThanOrEqual(1);
    const stored = await w.nudge.resolve(Tokens.MessageStore).list(WS, { profileId: p.id, limit: 20 });
    expect(stored.items.map((m) => [m.id, m.status, m.attempts.map((a) => a.status)])).toEqual([[burst[0]!.id, "failed", ["unreachable"]]]);
    expect(w.probe.calls).toEqual([]);
    await w.nudge.stop();
  });

  it("a message interrupted while sending is never sent again; one still in flight is left alone", async () => {
    const w = await world({ channels: [sms] });
    const p = await person(w, "crash");
    const store = w.nudge.resolve(Tokens.MessageStore);
    const now = w.clock.now();
    await store.insert(aMessage(WS, p.id, { idempotencyKey: "send:crashed", status: "sending", updatedAt: now - 11 * 60_000, channels: ["sms"], content: { sms: { text: "x" } } }));
    await store.insert(aMessage(WS, p.id, { idempotencyKey: "send:in-flight", status: "sending", updatedAt: now - 60_000, channels: ["sms"], content: { sms: { text: "x" } } }));
    const crashed = await w.nudge.send({ profileId: p.id, idempotencyKey: "crashed", channel: "sms", content: { text: "x" } });
    expect(crashed.status).toBe("failed");
    expect(crashed.decisions.at(-1)).toMatchObject({ policy: "dispatch", outcome: "drop", reason: "interrupted while sending; not resent to avoid a duplicate" });
    const inFlight = await w.nudge.send({ profileId: p.id, idempotencyKey: "in-flight", channel: "sms", content: { text: "x" } });
    expect(inFlight.status).toBe("sending");
    expect(w.probe.calls).toEqual([]);
    await w.nudge.stop();
  });

  it("a template abort records its reason and costs nothing", async () => {
    const w = await world();
    const p = await person(w, "abort", { subscribed: ["sms"] });
    const m = await w.nudge.send({
      profileId: p.id,
      idempotencyKey: "ab",
      channel: "sms",
      content: { text: "{% if vars.stock == 0 %}{% abort 'recommended product is out of stock' %}{% endif %}(광고) ..." },
      vars: { stock: 0 },
      marketing: true,
    });
    const log = await logged(w, m.id);
    expect(log.status).toBe("aborted");
    expect(log.decisions).toEqual([expect.objectContaining({ policy: "template", outcome: "abort", reason: "recommended product is out of stock" })]);
    expect(totalCost(log)).toBeNull();
    expect(w.probe.calls).toEqual([]);
    await w.nudge.stop();
  });
});
