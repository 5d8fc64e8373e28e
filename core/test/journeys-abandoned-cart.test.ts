import { describe, expect, it } from "vitest";
import { journey } from "@nudge/core";
import { advance, enrollmentsOf, HOUR, messagesOf, MINUTE, publish, start, testChannels } from "./journeys-support.js";

const cart = journey("abandoned-cart")
  .name("Abandoned cart")
  .on("checkout_started")
  .waitForEvent("wait_order", { events: [{ event: "order_completed", next: "thanks" }], timeout: "PT1H", onTimeout: "remind" })
  .send("remind", {
    channel: "kakao",
    content: { text: "{{ event.properties.item }} is still in your cart" },
    fallback: [{ channel: "sms", content: { text: "[Shop] {{ event.properties.item }} is waiting" } }],
    next: null,
  })
  .send("thanks", { channel: "sms", content: { text: "Thanks for order {{ journey.events.wait_order.properties.order_id }}" } })
  .build();

describe("journeys: abandoned cart end to end", () => {
  it("no order within the hour: the reminder goes out at one hour, with the cart's item", async () => {
    const channels = testChannels(["kakao", "sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, cart);
    const t0 = clock.now();
    await nudge.track({ userId: "u1", event: "checkout_started", properties: { item: "Sneakers" } });
    await nudge.drain();
    await advance(nudge, clock, 59 * MINUTE);
    expect(channels.calls).toEqual([]);
    await advance(nudge, clock, MINUTE);
    expect(channels.calls).toEqual([expect.objectContaining({ channel: "kakao", to: "u1", text: "Sneakers is still in your cart", at: t0 + HOUR })]);
    const [e] = await enrollmentsOf(nudge, "u1");
    expect(e).toMatchObject({ state: "completed", stepId: "remind", context: expect.objectContaining({ timeouts: { wait_order: true } }) });
    await advance(nudge, clock, 5 * HOUR);
    expect(channels.calls).toHaveLength(1);
    await nudge.stop();
  });

  it("an order inside the hour takes the order path: a thank-you with the order's id, and no reminder", async () => {
    const channels = testChannels(["kakao", "sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, cart);
    await nudge.track({ userId: "u2", event: "checkout_started", properties: { item: "Hat" } });
    await nudge.drain();
    await advance(nudge, clock, 20 * MINUTE);
    await nudge.track({ userId: "u2", event: "order_completed", properties: { order_id: "A-1001" } });
    await nudge.drain();
    expect(channels.calls.map((c) => [c.channel, c.text])).toEqual([["sms", "Thanks for order A-1001"]]);
    await advance(nudge, clock, 3 * HOUR);
    expect(channels.calls).toHaveLength(1);
    const [e] = await enrollmentsOf(nudge, "u2");
    expect(e).toMatchObject({ state: "completed", stepId: "thanks" });
    expect(e!.context["events"]).toEqual({ wait_order: expect.objectContaining({ name: "order_completed", properties: { order_id: "A-1001" } }) });
    await nudge.stop();
  });

  it("a person Kakao cannot reach gets the SMS fallback, one message in the log", async () => {
    const channels = testChannels(["kakao", "sms"], { unreachable: new Set(["kakao"]) });
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, cart);
    await nudge.track({ userId: "u3", event: "checkout_started", properties: { item: "Bag" } });
    await nudge.drain();
    await advance(nudge, clock, HOUR);
    expect(channels.calls.map((c) => [c.channel, c.text])).toEqual([["sms", "[Shop] Bag is waiting"]]);
    const log = await messagesOf(nudge);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: "sent", channel: "sms", stepId: "remind", journeyId: "abandoned-cart" });
    expect(log[0]!.attempts.map((a) => [a.channel, a.status])).toEqual([["kakao", "unreachable"], ["sms", "sent"]]);
    await nudge.stop();
  });

  it("an order event that does not match the awaited filter leaves the person waiting", async () => {
    const channels = testChannels(["kakao", "sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, {
      ...cart,
      id: "cart-filtered",
      steps: cart.steps.map((s) => (s.type === "wait-for-event" ? { ...s, events: [{ event: "order_completed", where: [{ property: "total", op: "gte", value: 10 }], next: "thanks" }] } : s)),
    });
    await nudge.track({ userId: "u4", event: "checkout_started", properties: { item: "Pen" } });
    await nudge.drain();
    await nudge.track({ userId: "u4", event: "order_completed", properties: { order_id: "A-1", total: 5 } });
    await nudge.drain();
    expect(channels.calls).toEqual([]);
    await advance(nudge, clock, HOUR);
    expect(channels.calls.map((c) => c.text)).toEqual(["Pen is still in your cart"]);
    await nudge.stop();
  });

  it("one person's events apply in order even when they arrive back to back; many people run concurrently", async () => {
    const channels = testChannels(["kakao", "sms"]);
    const { nudge } = await start({ channels: channels.plugin, settings: { concurrency: 16 } });
    await publish(nudge, cart);
    // No drain in between: the order event is queued right behind the checkout of the same person.
    for (let i = 0; i < 50; i++) {
      await nudge.track({ userId: `fast-${i}`, event: "checkout_started", properties: { item: "Hat" } });
      await nudge.track({ userId: `fast-${i}`, event: "order_completed", properties: { order_id: `O-${i}` } });
    }
    await nudge.drain();
    expect(channels.calls).toHaveLength(50);
    expect(channels.calls.every((c) => c.text === `Thanks for order O-${c.to.slice(5)}`)).toBe(true);
    await nudge.stop();
  });
});
