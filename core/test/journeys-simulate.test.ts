import { describe, expect, it } from "vitest";
import { journey, policies, Tokens } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { publish, start, testChannels, WS } from "./journeys-support.js";

const cart = journey("abandoned-cart")
  .on("checkout_started")
  .waitForEvent("wait_order", { events: [{ event: "order_completed", next: "thanks" }], timeout: "PT1H", onTimeout: "remind" })
  .send("remind", {
    channel: "kakao",
    content: { text: "{{ event.properties.item }} is still in your cart" },
    fallback: [{ channel: "sms", content: { text: "[Shop] {{ event.properties.item }}" } }],
    marketing: true,
    next: null,
  })
  .send("thanks", { channel: "sms", content: { text: "Order {{ journey.events.wait_order.properties.order_id }} confirmed" } })
  .build();

const seoul = {
  userId: "minji",
  timezone: "Asia/Seoul",
  subscriptions: [
    { channel: "kakao", state: "subscribed" as const },
    { channel: "sms", state: "subscribed" as const },
  ],
};

async function live() {
  const channels = testChannels(["kakao", "sms"], { costs: { kakao: 15, sms: 30 } });
  const { nudge } = await start({ channels: channels.plugin, extra: [policies({ quietHours: [{ from: "21:00", to: "08:00" }] })] });
  return { nudge, calls: channels.calls };
}

describe("journeys: simulate()", () => {
  it("the timeout path: steps, the message with its UTC and local time, channel, content, cost and the quiet-hours decision", async () => {
    const { nudge, calls } = await live();
    // 20:30 in Seoul: the reminder falls due at 21:30, inside quiet hours, and goes out at 08:00.
    const result = await nudge.simulate(cart, { profile: seoul, events: [{ at: "2026-03-02T11:30:00Z", name: "checkout_started", properties: { item: "Sneakers" } }] });
    expect(result.steps.map((s) => [s.stepId, s.via, s.outcome, s.next])).toEqual([
      ["wait_order", "arrive", "park", null],
      ["wait_order", "timer", "next", "remind"],
      ["remind", "arrive", "next", null],
    ]);
    expect(result.steps[1]).toMatchObject({ at: "2026-03-02T12:30:00.000Z", local: "2026-03-02T21:30:00.000+09:00" });
    expect(result.messages).toEqual([
      expect.objectContaining({
        stepId: "remind",
        status: "sent",
        channel: "kakao",
        provider: "test", // the channel's own provider, as production records it (its send only records here)
        content: { text: "Sneakers is still in your cart" },
        cost: { amount: 15, currency: "KRW" },
        at: "2026-03-02T23:00:00.000Z",
        local: "2026-03-03T08:00:00.000+09:00",
      }),
    ]);
    expect(result.decisions).toEqual([expect.objectContaining({ policy: "quiet-hours", outcome: "defer", stepId: "remind", channel: "kakao" })]);
    expect(result.enrollments).toEqual([expect.objectContaining({ journeyId: "abandoned-cart", state: "completed" })]);
    expect(result.endedAt).toBe("2026-03-02T23:00:00.000Z"); // stops once nothing is left to happen
    expect(calls).toEqual([]);
    await nudge.stop();
  });

  it("the order path, with the awaited event's properties in the later template", async () => {
    const { nudge } = await live();
    const result = await nudge.simulate(cart, {
      profile: seoul,
      events: [
        { at: "2026-03-02T03:00:00Z", name: "checkout_started", properties: { item: "Hat" } },
        { at: "2026-03-02T03:20:00Z", name: "order_completed", properties: { order_id: "A-7" } },
      ],
    });
    expect(result.messages.map((m) => [m.stepId, m.channel, m.content, m.at, m.cost])).toEqual([
      ["thanks", "sms", { text: "Order A-7 confirmed" }, "2026-03-02T03:20:00.000Z", { amount: 30, currency: "KRW" }],
    ]);
    await nudge.stop();
  });

  it("without marketing consent the reminder is suppressed, and the decision says why", async () => {
    const { nudge } = await live();
    const result = await nudge.simulate(cart, { profile: { userId: "no-consent" }, events: [{ at: "2026-03-02T03:00:00Z", name: "checkout_started", properties: { item: "Bag" } }] });
    expect(result.messages).toEqual([expect.objectContaining({ status: "suppressed", cost: null })]);
    expect(result.decisions).toEqual([expect.objectContaining({ policy: "consent", outcome: "suppress", reason: expect.stringContaining("kakao") })]);
    await nudge.stop();
  });

  it("leaves the live instance untouched, and runs journeys that are not triggered by events", async () => {
    const { nudge, calls } = await live();
    await publish(nudge, cart);
    await nudge.simulate(cart, { profile: seoul, events: [{ at: "2026-03-02T03:00:00Z", name: "checkout_started", properties: { item: "Cap" } }] });
    const segmentJourney = { ...cart, id: "vip-welcome", trigger: { type: "segment" as const, segment: "vip" }, steps: [{ id: "hi", type: "send" as const, channel: "sms", content: { text: "hi {{ profile.traits.name }}" } }] };
    const result = await nudge.simulate(segmentJourney, { profile: { ...seoul, traits: { name: "Minji" }, segments: ["vip"] }, start: "2026-03-02T03:00:00Z" });
    expect(result.messages.map((m) => m.content)).toEqual([{ text: "hi Minji" }]);
    expect(calls).toEqual([]);
    expect(await nudge.resolve(Tokens.ProfileStore).count(WS)).toBe(0);
    expect((await nudge.resolve(Tokens.MessageStore).list(WS, { limit: 10 })).items).toEqual([]);
    expect(await nudge.resolve(Tokens.JourneyStore).getHead(WS, "vip-welcome")).toBeNull();
    expect(nudge.sandbox.list()).toEqual([]);
    await nudge.stop();
  });

  it("rejects a bad timeline naming the field", async () => {
    const { nudge } = await live();
    await expect(nudge.simulate(cart, { events: [{ at: "yesterday", name: "x" }] })).rejects.toMatchObject({ code: "NUDGE_VALIDATION", issues: [expect.objectContaining({ path: "events[0].at" })] });
    await nudge.stop();
  });

  it("takes its throwaway store from the host: the core loads no storage plugin by itself", async () => {
    const { nudge: bare } = await start({ channels: testChannels(["kakao", "sms"]).plugin, simulation: null });
    const timeline = { profile: seoul, events: [{ at: "2026-03-02T03:00:00Z", name: "checkout_started", properties: { item: "Cap" } }] };
    await expect(bare.simulate(cart, timeline)).rejects.toMatchObject({ code: "NUDGE_SIMULATION_STORAGE", message: expect.stringContaining("simulation: { storage") });
    const passed = await bare.simulate(cart, timeline, { storage: storageMemory() });
    expect(passed.messages).toHaveLength(1);
    await bare.stop();
  });
});
