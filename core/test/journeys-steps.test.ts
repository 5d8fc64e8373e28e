import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { FakeClock, journey, Tokens, type JourneyDefinitionInput } from "@nudge/core";
import { advance, DAY, enrollmentsOf, HOUR, messagesOf, publish, start, testChannels, WS } from "./journeys-support.js";

describe("journeys: branch", () => {
  const tiers = journey("tiers")
    .on("order_placed")
    .branch("which", {
      paths: [
        { name: "vip", when: { type: "segment", segment: "vip" }, next: "vip" },
        { name: "big", when: { type: "all", conditions: [{ type: "event", property: "total", op: "gte", value: 100 }, { type: "trait", trait: "plan", op: "eq", value: "pro" }] }, next: "big" },
      ],
      otherwise: "small",
    })
    .send("vip", { channel: "sms", content: { text: "vip" }, next: null })
    .send("big", { channel: "sms", content: { text: "big" }, next: null })
    .send("small", { channel: "sms", content: { text: "small" } })
    .build();

  it("takes the first path whose condition holds: segment membership, then trigger properties and traits, else otherwise", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, tiers);
    const vip = await nudge.identify({ userId: "v", traits: { plan: "pro" } });
    await nudge.resolve(Tokens.SegmentStore).setMember(WS, "vip", vip.profileId, true, 0);
    await nudge.identify({ userId: "p", traits: { plan: "pro" } });
    await nudge.identify({ userId: "f", traits: { plan: "free" } });
    for (const userId of ["v", "p", "f"]) await nudge.track({ userId, event: "order_placed", properties: { total: 150 } });
    await nudge.track({ userId: "p", event: "order_placed", properties: { total: 20 } });
    await nudge.drain();
    expect(channels.calls.map((c) => `${c.to}:${c.text}`).sort()).toEqual(["f:small", "p:big", "p:small", "v:vip"]);
    await nudge.stop();
  });

  it("engagement: clicked the last message (clicks come back as message_clicked events)", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, {
      id: "promo",
      trigger: { type: "event", event: "promo_start" },
      steps: [
        { id: "offer", type: "send", channel: "sms", content: { text: "offer" }, next: "wait" },
        { id: "wait", type: "wait", duration: "P1D", next: "did-click" },
        { id: "did-click", type: "branch", paths: [{ when: { type: "engagement", action: "clicked" }, next: "thanks" }], otherwise: "reminder" },
        { id: "thanks", type: "send", channel: "sms", content: { text: "thanks for looking" } },
        { id: "reminder", type: "send", channel: "sms", content: { text: "reminder" } },
      ],
    });
    for (const userId of ["clicker", "ignorer"]) await nudge.track({ userId, event: "promo_start" });
    await nudge.drain();
    const offer = (await messagesOf(nudge)).find((m) => m.recipient === "clicker")!;
    await nudge.track({ userId: "clicker", event: "message_clicked", properties: { messageId: offer.id, url: "https://shop.example/sale" } });
    await advance(nudge, clock, DAY);
    expect(channels.calls.filter((c) => c.text !== "offer").map((c) => `${c.to}:${c.text}`).sort()).toEqual(["clicker:thanks for looking", "ignorer:reminder"]);
    await nudge.stop();
  });
});

describe("journeys: update-profile", () => {
  it("sets (Liquid), unsets and increments traits", async () => {
    const { nudge } = await start();
    await publish(nudge, {
      id: "loyalty",
      trigger: { type: "event", event: "purchase" },
      entry: { reentry: "always" },
      steps: [{ id: "points", type: "update-profile", set: { last_sku: "{{ event.properties.sku }}" }, unset: ["cart"], increment: { purchases: 1, points: 10 } }],
    });
    await nudge.identify({ userId: "u", traits: { cart: ["x"], points: 5 } });
    await nudge.track({ userId: "u", event: "purchase", properties: { sku: "A-1" } });
    await nudge.drain();
    await nudge.track({ userId: "u", event: "purchase", properties: { sku: "B-2" } });
    await nudge.drain();
    const p = await nudge.resolve(Tokens.ProfileStore).getByUserId(WS, "u");
    expect(p?.traits).toEqual({ last_sku: "B-2", purchases: 2, points: 25 });
    await nudge.stop();
  });
});

describe("journeys: emit-event and enter-journey", () => {
  it("an emitted event triggers another journey once; enter-journey moves the person, subject to its entry rules", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, { id: "vip-welcome", trigger: { type: "event", event: "became_vip" }, steps: [{ id: "hi", type: "send", channel: "sms", content: { text: "vip {{ event.properties.tier }}" } }] });
    await publish(nudge, { id: "survey", trigger: { type: "event", event: "never" }, entry: { reentry: "never" }, steps: [{ id: "ask", type: "send", channel: "sms", content: { text: "survey" } }] });
    await publish(nudge, {
      id: "upgrade",
      trigger: { type: "event", event: "upgraded" },
      entry: { reentry: "always" },
      steps: [
        { id: "emit", type: "emit-event", event: "became_vip", properties: { tier: "{{ event.properties.tier }}" }, next: "move" },
        { id: "move", type: "enter-journey", journey: "survey" },
      ],
    });
    await nudge.track({ userId: "u", event: "upgraded", properties: { tier: "gold" } });
    await nudge.drain();
    await nudge.track({ userId: "u", event: "upgraded", properties: { tier: "gold" } });
    await nudge.drain();
    expect(channels.calls.map((c) => c.text).sort()).toEqual(["survey", "vip gold", "vip gold"]);
    const byJourney = (await enrollmentsOf(nudge, "u")).map((e) => e.journeyId).sort();
    expect(byJourney).toEqual(["survey", "upgrade", "upgrade", "vip-welcome", "vip-welcome"]);
    await nudge.stop();
  });
});

describe("journeys: wait until a date", () => {
  const renewal = (ifPast: "continue" | "exit"): JourneyDefinitionInput => ({
    id: `renewal-${ifPast}`,
    trigger: { type: "event", event: "subscribed" },
    steps: [
      { id: "before", type: "wait", trait: { name: "renewal_date", before: "P3D", time: "10:00" }, ifPast, next: "remind" },
      { id: "remind", type: "send", channel: "sms", content: { text: "renews on {{ profile.traits.renewal_date }}" } },
    ],
  });

  it("3 days before a trait's date, at 10:00 local; a date already past goes on at once or exits, as configured", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin, clock: new FakeClock("2026-03-02T00:00:00Z") });
    await publish(nudge, renewal("continue"));
    await publish(nudge, { ...renewal("exit"), trigger: { type: "event", event: "subscribed_strict" } });
    await nudge.identify({ userId: "future", traits: { renewal_date: "2026-04-01", timezone: "Asia/Seoul" } });
    await nudge.identify({ userId: "past", traits: { renewal_date: "2026-03-03", timezone: "Asia/Seoul" } });
    await nudge.identify({ userId: "strict", traits: { renewal_date: "2026-03-03" } });
    await nudge.identify({ userId: "missing" });
    for (const userId of ["future", "past", "missing"]) await nudge.track({ userId, event: "subscribed" });
    await nudge.track({ userId: "strict", event: "subscribed_strict" });
    await nudge.drain();
    expect(channels.calls.map((c) => c.to).sort()).toEqual(["missing", "past"]);
    expect((await enrollmentsOf(nudge, "strict"))[0]).toMatchObject({ state: "exited", exitReason: 'wait "before": the moment had already passed' });
    await advance(nudge, clock, 40 * DAY);
    const future = channels.calls.find((c) => c.to === "future")!;
    expect(DateTime.fromMillis(future.at, { zone: "Asia/Seoul" }).toFormat("yyyy-MM-dd HH:mm")).toBe("2026-03-29 10:00");
    await nudge.stop();
  });

  it("until a fixed instant", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, {
      id: "launch",
      trigger: { type: "event", event: "waitlisted" },
      steps: [
        { id: "launch-day", type: "wait", at: "2026-03-10T09:00:00+09:00", next: "go" },
        { id: "go", type: "send", channel: "sms", content: { text: "we are live" } },
      ],
    });
    await nudge.track({ userId: "w", event: "waitlisted" });
    await nudge.drain();
    await advance(nudge, clock, 10 * DAY);
    expect(channels.calls.map((c) => new Date(c.at).toISOString())).toEqual(["2026-03-10T00:00:00.000Z"]);
    await nudge.stop();
  });
});

describe("journeys: wait-for-event timeout race", () => {
  it("an event processed after the timeout fired does not move the person twice", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, {
      id: "race",
      trigger: { type: "event", event: "start" },
      steps: [
        { id: "w", type: "wait-for-event", events: [{ event: "done", next: "yes" }], timeout: "PT1H", onTimeout: "no" },
        { id: "yes", type: "send", channel: "sms", content: { text: "yes" } },
        { id: "no", type: "send", channel: "sms", content: { text: "no" } },
      ],
    });
    await nudge.track({ userId: "r", event: "start" });
    await nudge.drain();
    await advance(nudge, clock, HOUR);
    await nudge.track({ userId: "r", event: "done" });
    await nudge.drain();
    expect(channels.calls.map((c) => c.text)).toEqual(["no"]);
    await nudge.stop();
  });
});
