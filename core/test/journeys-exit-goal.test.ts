import { describe, expect, it } from "vitest";
import { journey, Tokens } from "@nudge/core";
import { advance, DAY, enrollmentsOf, HOUR, publish, start, testChannels, WS } from "./journeys-support.js";

const cart = journey("cart")
  .on("cart_updated")
  .exitOn("purchase")
  .goal({ event: "purchase", within: "P7D" })
  .wait("wait", { duration: "P1D" })
  .send("nudge", { channel: "sms", content: { text: "Come back to your cart" } })
  .build();

describe("journeys: exit-on and conversion goals", () => {
  it("a purchase in the middle of a wait ends the journey at once: no message, the wait's timer gone, the conversion recorded", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, cart);
    await nudge.track({ userId: "buyer", event: "cart_updated" });
    await nudge.drain();
    await advance(nudge, clock, 6 * HOUR);
    const purchaseAt = clock.now();
    await nudge.track({ userId: "buyer", event: "purchase", properties: { total: 30 } });
    await nudge.drain();
    const [e] = await enrollmentsOf(nudge, "buyer");
    expect(e).toMatchObject({ state: "exited", exitReason: 'exit-on event "purchase"', stepId: "wait", convertedAt: purchaseAt, endedAt: purchaseAt });
    expect(await nudge.resolve(Tokens.TimerStore).get(WS, `journey.wait:${e!.id}:wait:1`)).toBeNull();
    await advance(nudge, clock, 2 * DAY);
    expect(channels.calls).toEqual([]);
    await nudge.stop();
  });

  it("exit-on honours its property filter", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, { ...cart, id: "cart-big", exitOn: [{ event: "purchase", where: [{ property: "total", op: "gte", value: 100 }] }] });
    await nudge.track({ userId: "small", event: "cart_updated" });
    await nudge.drain();
    await nudge.track({ userId: "small", event: "purchase", properties: { total: 20 } });
    await nudge.drain();
    await advance(nudge, clock, DAY);
    expect(channels.calls).toHaveLength(1);
    await nudge.stop();
  });

  it("a conversion after the journey completed is still recorded within the goal's deadline, and not after it", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, cart);
    await nudge.track({ userId: "late", event: "cart_updated" });
    await nudge.track({ userId: "never", event: "cart_updated" });
    await nudge.drain();
    await advance(nudge, clock, 3 * DAY);
    const at = clock.now();
    await nudge.track({ userId: "late", event: "purchase" });
    await advance(nudge, clock, 5 * DAY);
    await nudge.track({ userId: "never", event: "purchase" });
    await nudge.drain();
    expect((await enrollmentsOf(nudge, "late"))[0]).toMatchObject({ state: "completed", convertedAt: at });
    expect((await enrollmentsOf(nudge, "never"))[0]).toMatchObject({ state: "completed", convertedAt: null });
    await nudge.stop();
  });

  it("a goal with exit ends the journey when reached", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, { ...cart, id: "cart-goal-exit", exitOn: [], goal: { event: "purchase", within: "P7D", exit: true } });
    await nudge.track({ userId: "g", event: "cart_updated" });
    await nudge.drain();
    await nudge.track({ userId: "g", event: "purchase" });
    await nudge.drain();
    expect((await enrollmentsOf(nudge, "g"))[0]).toMatchObject({ state: "exited", exitReason: "converted" });
    await advance(nudge, clock, 2 * DAY);
    expect(channels.calls).toEqual([]);
    await nudge.stop();
  });
});
