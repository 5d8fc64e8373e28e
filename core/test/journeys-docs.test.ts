import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePlugin, journey, Tokens, type Channel, type JourneyDefinitionInput } from "@nudge/core";
import { start, WS } from "./journeys-support.js";

/**
 * The three complete journeys of docs/journeys.md, verbatim, simulated: they must parse, pass the
 * instance's channel and template checks, and do what the page says.
 */

/** The channel ids the page uses, with permissive content (the channel plugins' own schemas are tested there). */
const docChannels = definePlugin({
  id: "doc-channels",
  kind: "channel",
  configSchema: z.object({}),
  register(ctx) {
    for (const id of ["kakao", "kakao-friendtalk", "sms", "email", "push"]) {
      const channel: Channel<Record<string, unknown>> = {
        id,
        providers: ["test"],
        contentSchema: z.record(z.string(), z.unknown()),
        address: (p) => (id === "kakao-friendtalk" && p.traits["kakao_friend"] === false ? null : p.userId),
        send: async (m) => ({ providerMessageId: m.context.messageId }),
      };
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    }
  },
});

const welcome = journey("welcome")
  .name("Welcome series")
  .on("signed_up")
  .entry({ reentry: "never" })
  .goal({ event: "first_order", within: "P14D" })
  .exitOn("unsubscribed")
  .wait("first-10am", { until: { time: "10:00" } })
  .send("day1", { channel: "email", template: "welcome-1" })
  .wait("second-10am", { until: { time: "10:00", after: "P1D" } })
  .branch("ordered-yet", {
    paths: [{ name: "buyer", when: { type: "trait", trait: "orders", op: "gt", value: 0 }, next: "day2-buyer" }],
    otherwise: "day2",
  })
  .send("day2-buyer", { channel: "email", template: "welcome-2-buyer", next: "third-10am" })
  .send("day2", { channel: "email", template: "welcome-2" })
  .wait("third-10am", { until: { time: "10:00", after: "P1D" } })
  .send("day3", { channel: "push", content: { title: "Day 3", body: "Here is what people love most, {{ profile.traits.name }}" } })
  .build();

const abandonedCart: JourneyDefinitionInput = {
  id: "abandoned-cart",
  name: "Abandoned cart",
  trigger: { type: "event", event: "checkout_started", where: [{ property: "total", op: "gte", value: 10000 }] },
  entry: { reentry: "cooldown", cooldown: "P1D" },
  exitOn: [{ event: "cart_emptied" }],
  goal: { event: "order_completed", within: "P3D" },
  steps: [
    { id: "wait_order", type: "wait-for-event", timeout: "PT1H", onTimeout: "remind", events: [{ event: "order_completed", next: "thanks" }] },
    {
      id: "remind",
      type: "send",
      channel: "kakao-friendtalk",
      marketing: true,
      content: {
        kind: "friendtalk",
        content: "{{ event.properties.item }} is still in your cart. Checkout takes 30 seconds.",
        buttons: [{ name: "Back to cart", type: "WL", linkMo: "https://shop.example.com/cart" }],
      },
      fallback: [{ channel: "sms", content: { text: "(광고)Acme\n{{ event.properties.item }} is waiting in your cart\n무료수신거부 080-123-4567" } }],
      next: "second_chance",
    },
    { id: "second_chance", type: "wait-for-event", timeout: "P1D", onTimeout: "last_call", events: [{ event: "order_completed" }] },
    { id: "last_call", type: "send", channel: "sms", marketing: true, content: { text: "(광고)Acme\n10% off {{ event.properties.item }} until midnight: CART10\n무료수신거부 080-123-4567" } },
    {
      id: "thanks",
      type: "send",
      channel: "kakao",
      content: { kind: "alimtalk", templateCode: "ORDER_DONE", variables: { orderNo: "{{ journey.events.wait_order.properties.order_id }}" } },
    },
  ],
};

const winBack = journey("win-back")
  .trigger({ type: "segment", segment: "at-risk", on: "entered" })
  .entry({ reentry: "cooldown", cooldown: "P90D" })
  .exitOn("order_completed")
  .goal({ event: "order_completed", within: "P14D" })
  .split("offer", {
    paths: [
      { name: "10-percent", percent: 45, next: "coupon-10" },
      { name: "free-shipping", percent: 45, next: "coupon-ship" },
    ],
    holdout: { percent: 10 },
  })
  .webhook("coupon-10", { url: "https://crm.example.com/coupons", body: { user: "{{ profile.userId }}", kind: "10pct" }, onFailure: "no-coupon", next: "offer-msg" })
  .webhook("coupon-ship", { url: "https://crm.example.com/coupons", body: { user: "{{ profile.userId }}", kind: "shipping" }, onFailure: "no-coupon", next: "offer-msg" })
  .send("offer-msg", {
    channel: "email",
    marketing: true,
    content: { subject: "We saved something for you", html: "<p>Your code: {{ journey.webhooks['coupon-10'].body.code | default: journey.webhooks['coupon-ship'].body.code }}</p>" },
    next: "wait-click",
  })
  .wait("wait-click", { duration: "P3D" })
  .branch("engaged", { paths: [{ when: { type: "engagement", action: "clicked" }, next: "done" }], otherwise: "push-nudge" })
  .send("push-nudge", { channel: "push", marketing: true, content: { title: "Still there?", body: "Your offer ends Sunday" }, next: null })
  .send("no-coupon", { channel: "email", marketing: true, content: { subject: "We miss you", html: "<p>Come back soon.</p>" }, next: null })
  .exit("done", "clicked the offer")
  .build();

const consent = ["kakao", "kakao-friendtalk", "sms", "email", "push"].map((channel) => ({ channel, state: "subscribed" as const }));

async function live() {
  const { nudge } = await start({ channels: docChannels() });
  const templates = nudge.resolve(Tokens.TemplateStore);
  for (const id of ["welcome-1", "welcome-2", "welcome-2-buyer"]) await templates.put(WS, { id, channel: "email", content: { subject: id, html: `<p>${id}, {{ profile.traits.name }}</p>` } }, 0);
  return nudge;
}

describe("journeys: the complete journeys of docs/journeys.md", () => {
  it("welcome series: days 1-3 at 10:00 in Seoul, the day-2 email chosen by the branch", async () => {
    const nudge = await live();
    const r = await nudge.simulate(welcome, {
      profile: { userId: "minji", timezone: "Asia/Seoul", traits: { name: "Minji", orders: 1 } },
      events: [{ at: "2026-03-06T00:00:00Z", name: "signed_up" }],
    });
    expect(r.messages.map((m) => [m.stepId, m.local.slice(0, 16)])).toEqual([
      ["day1", "2026-03-06T10:00"],
      ["day2-buyer", "2026-03-07T10:00"],
      ["day3", "2026-03-08T10:00"],
    ]);
    await nudge.stop();
  });

  it("abandoned cart: Friendtalk reminder with an SMS fallback for a non-friend, then a last call", async () => {
    const nudge = await live();
    const r = await nudge.simulate(abandonedCart, {
      profile: { userId: "kim", timezone: "Asia/Seoul", traits: { kakao_friend: false }, subscriptions: consent },
      events: [{ at: "2026-03-02T03:00:00Z", name: "checkout_started", properties: { item: "Sneakers", total: 89000 } }],
    });
    expect(r.messages.map((m) => [m.stepId, m.channel, m.at])).toEqual([
      ["remind", "sms", "2026-03-02T04:00:00.000Z"],
      ["last_call", "sms", "2026-03-03T04:00:00.000Z"],
    ]);
    expect(r.messages[0]!.attempts.map((a) => [a.channel, a.status])).toEqual([["kakao-friendtalk", "unreachable"], ["sms", "sent"]]);
    const ordered = await nudge.simulate(abandonedCart, {
      profile: { userId: "lee", subscriptions: consent },
      events: [
        { at: "2026-03-02T03:00:00Z", name: "checkout_started", properties: { item: "Hat", total: 19000 } },
        { at: "2026-03-02T03:10:00Z", name: "order_completed", properties: { order_id: "A-1" } },
      ],
    });
    expect(ordered.messages.map((m) => [m.stepId, m.content])).toEqual([["thanks", { kind: "alimtalk", templateCode: "ORDER_DONE", variables: { orderNo: "A-1" } }]]);
    expect(ordered.enrollments[0]).toMatchObject({ state: "completed", convertedAt: "2026-03-02T03:10:00.000Z" });
    await nudge.stop();
  });

  it("win-back: each person's arm, the coupon from the (not called) webhook in the email, the push when nothing was clicked; the holdout gets nothing", async () => {
    const nudge = await live();
    const webhooks = { "coupon-10": { status: 201, body: { code: "TEN-OFF" } }, "coupon-ship": { status: 201, body: { code: "SHIP-FREE" } } };
    const run = (userId: string) => nudge.simulate(winBack, { profile: { userId, subscriptions: consent }, start: "2026-03-02T03:00:00Z", webhooks });
    // The arms come from a hash of (journey, step, userId): these three people land in the three arms.
    const [park, choi, jung] = [await run("park"), await run("choi"), await run("jung")];
    const offer = (r: typeof park) => r.steps.find((s) => s.stepId === "offer")!.note;
    expect([offer(park), offer(choi), offer(jung)]).toEqual(["arm 10-percent", "arm free-shipping", "holdout (control group)"]);
    expect(park.messages.map((m) => [m.stepId, m.content, m.at])).toEqual([
      ["offer-msg", { subject: "We saved something for you", html: "<p>Your code: TEN-OFF</p>" }, "2026-03-02T03:00:00.000Z"],
      ["push-nudge", { title: "Still there?", body: "Your offer ends Sunday" }, "2026-03-05T03:00:00.000Z"],
    ]);
    expect(choi.messages[0]!.content).toEqual({ subject: "We saved something for you", html: "<p>Your code: SHIP-FREE</p>" });
    expect(jung.messages).toEqual([]);
    expect(jung.enrollments[0]).toMatchObject({ state: "exited", exitReason: "holdout (control group)" });
    await nudge.stop();
  });
});
