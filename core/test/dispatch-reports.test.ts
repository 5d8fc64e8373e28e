import { describe, expect, it } from "vitest";
import { logged, person, sms, world } from "./dispatch-world.js";

describe("dispatch: delivery reports", () => {
  it("move a sent message to delivered, keeping the provider's code; a late 'sent' does not move it back", async () => {
    const w = await world({ channels: [sms] });
    const p = await person(w, "dlr");
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "d1", channel: "sms", content: { text: "x" } });
    const providerMessageId = m.attempts[0]!.providerMessageId!;
    await w.nudge.webhooks.apply({ providerMessageId, status: "delivered", providerCode: "4000", at: w.clock.now() }, "sms");
    let log = await logged(w, m.id);
    expect(log.status).toBe("delivered");
    expect(log.attempts[0]).toMatchObject({ status: "delivered", providerCode: "4000" });
    await w.nudge.webhooks.apply({ providerMessageId, status: "sent", providerCode: "3000", at: w.clock.now() }, "sms");
    log = await logged(w, m.id);
    expect(log.status).toBe("delivered");
    await w.nudge.stop();
  });

  it("a permanent failure marks the contact point so it is not used again", async () => {
    const w = await world({ channels: [sms] });
    const p = await person(w, "dead-number");
    const m = await w.nudge.send({ profileId: p.id, idempotencyKey: "d2", channel: "sms", content: { text: "x" } });
    await w.nudge.webhooks.apply(
      { providerMessageId: m.attempts[0]!.providerMessageId!, status: "failed", providerCode: "E_NO_SUBSCRIBER", reason: "number not in service", invalidateContact: true, at: w.clock.now() },
      "sms",
    );
    const log = await logged(w, m.id);
    expect(log.status).toBe("failed");
    expect(log.attempts[0]).toMatchObject({ status: "failed", providerCode: "E_NO_SUBSCRIBER", error: "number not in service" });
    expect((await w.nudge.profiles.get(p.id))!.contacts.invalid).toEqual({ phone: { reason: "number not in service", at: w.clock.now() } });
    const next = await w.nudge.send({ profileId: p.id, idempotencyKey: "d3", channel: "sms", content: { text: "x" } });
    expect(next.status).toBe("failed");
    expect(next.attempts).toEqual([expect.objectContaining({ status: "unreachable", error: "no usable address on this channel" })]);
    expect(w.probe.calls).toHaveLength(1);
    await w.nudge.stop();
  });
});
