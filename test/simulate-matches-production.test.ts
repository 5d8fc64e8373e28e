import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createNudge,
  FakeClock,
  journey,
  policies,
  sandboxProvider,
  silentLogger,
  Tokens,
  type JourneyDefinitionInput,
  type Nudge,
  type PluginSpec,
  type SimulationResult,
} from "@nudge/core";
import { kakao } from "@nudge/channel-kakao";
import { asAdvertisement, sms } from "@nudge/channel-sms";
import { storageMemory } from "@nudge/storage-memory";
import { storageSqlite } from "@nudge/storage-sqlite";

/**
 * The same people and timelines through `simulate()` and through a real instance on a fake clock, compared
 * person by person: the steps taken, each message (channel and provider of every attempt, status, time,
 * policy decisions) and the final journey state.
 */

const WS = "shop";
const KAKAO_DOWN = "+821088880000"; // the kakao sandbox cannot reach it
const SMS_REFUSED = "+821099990000"; // the sms sandbox refuses it
const OPT_OUT = "080-123-4567";

/** The host's assembly, without storage: each side adds its own. */
const assembly = (): PluginSpec[] => [
  kakao({ friendtalkChannel: false }),
  sms({ senders: ["+8215880000"], optOutNumber: OPT_OUT }),
  sandboxProvider({ channel: "kakao", failFor: { [KAKAO_DOWN]: "unreachable" } }),
  sandboxProvider({ channel: "sms", failFor: { [SMS_REFUSED]: "permanent" } }),
  policies({
    koreanAdRules: {
      sender: { name: "아크미", contact: OPT_OUT },
      // Kakao labels Brand Messages itself: only the night rule applies there.
      channels: { sms: {}, kakao: { field: "content", label: false, sender: false, optOut: false } },
    },
  }),
];

const welcome = journey("welcome")
  .on("signed_up")
  .send("hello", { channel: "sms", content: { text: "{{ profile.traits.name }}님, 가입을 환영합니다." } })
  .build();

const promo = journey("spring-promo")
  .on("coupon_issued")
  .send("promo", {
    channel: "kakao",
    content: { kind: "brand", chatBubbleType: "TEXT", content: "봄 신상품 쿠폰이 도착했어요!" },
    fallback: [{ channel: "sms", content: { text: asAdvertisement(`${"봄 신상품 쿠폰이 도착했어요. ".repeat(4)}지금 확인해 보세요.`, { brand: "아크미", optOutNumber: OPT_OUT }) } }],
    marketing: true,
  })
  .build();

const cart = journey("cart")
  .on("checkout_started")
  .waitForEvent("wait_order", { events: [{ event: "order_completed", next: "thanks" }], timeout: "PT1H", onTimeout: "remind" })
  .send("remind", { channel: "sms", content: { text: "장바구니에 {{ event.properties.item }}이(가) 남아 있어요." }, next: null })
  .send("thanks", { channel: "sms", content: { text: "주문 {{ journey.events.wait_order.properties.order_id }} 감사합니다." } })
  .build();

interface Person {
  userId: string;
  phone: string;
  channelFriend?: boolean;
  subscribed?: boolean;
  journey: JourneyDefinitionInput;
  events: { at: string; name: string; properties?: Record<string, unknown> }[];
}

const NOON_KST = "2026-03-02T03:00:00Z";
const people: Person[] = [
  { userId: "plain", phone: "+821012340001", journey: welcome, events: [{ at: NOON_KST, name: "signed_up" }] },
  { userId: "sms-refused", phone: SMS_REFUSED, journey: welcome, events: [{ at: NOON_KST, name: "signed_up" }] },
  { userId: "not-friend", phone: "+821012340002", channelFriend: false, subscribed: true, journey: promo, events: [{ at: NOON_KST, name: "coupon_issued" }] },
  { userId: "kakao-down", phone: KAKAO_DOWN, channelFriend: true, subscribed: true, journey: promo, events: [{ at: NOON_KST, name: "coupon_issued" }] },
  { userId: "no-consent", phone: "+821012340003", channelFriend: true, journey: promo, events: [{ at: NOON_KST, name: "coupon_issued" }] },
  { userId: "night", phone: "+821012340004", channelFriend: true, subscribed: true, journey: promo, events: [{ at: "2026-03-02T14:00:00Z", name: "coupon_issued" }] },
  {
    userId: "buyer",
    phone: "+821012340005",
    journey: cart,
    events: [
      { at: NOON_KST, name: "checkout_started", properties: { item: "운동화" } },
      { at: "2026-03-02T03:20:00Z", name: "order_completed", properties: { order_id: "A-7" } },
    ],
  },
  { userId: "browser", phone: "+821012340006", journey: cart, events: [{ at: NOON_KST, name: "checkout_started", properties: { item: "모자" } }] },
];

/** What the comparison reads of a message: no ids, which differ between two instances by design. */
interface Outcome {
  steps: string[];
  messages: { stepId: string | null; status: string; channel: string; at: string; content: unknown; attempts: unknown[]; decisions: unknown[] }[];
  enrollments: string[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const attemptView = (a: { channel: string; provider: string; status: string; messageType?: string; providerCode?: string }) =>
  [a.channel, a.provider, a.status, a.messageType ?? "-", a.providerCode ?? "-"].join(" ");

function fromSimulation(r: SimulationResult): Outcome {
  return {
    steps: r.steps.map((s) => `${s.at} ${s.stepId} ${s.via} ${s.outcome} ${s.next ?? "-"} ${s.note ?? ""}`),
    messages: r.messages.map((m) => ({ stepId: m.stepId, status: m.status, channel: m.channel, at: m.at, content: m.content, attempts: m.attempts.map(attemptView), decisions: m.decisions })),
    enrollments: r.enrollments.map((e) => `${e.journeyId} ${e.state} ${e.exitReason ?? "-"}`),
  };
}

/** Moves a real instance's clock to `to`, stopping at each timer's due time on the way, as a real clock would. */
async function advance(nudge: Nudge, clock: FakeClock, to: number, done?: () => Promise<boolean>): Promise<void> {
  const timers = nudge.resolve(Tokens.TimerStore);
  for (;;) {
    if (done && (await done())) return;
    const next = await timers.nextDueAt(WS);
    if (next === null || next > to) break;
    clock.set(Math.max(next, clock.now()));
    await nudge.drain();
  }
  clock.set(to);
  await nudge.drain();
}

/** The person's timeline on a real, started instance (storage-memory), read back from its message log. */
async function inProduction(p: Person): Promise<Outcome> {
  const clock = new FakeClock(p.events[0]!.at);
  const nudge = await createNudge({ workspace: WS, plugins: [storageMemory(), ...assembly()], logger: silentLogger(), clock });
  const steps: string[] = [];
  nudge.hooks.on("journey.step", (s) => steps.push(`${iso(s.at)} ${s.stepId} ${s.via} ${s.outcome} ${s.next ?? "-"} ${s.note ?? ""}`));
  await nudge.start();
  try {
    await nudge.journeys.put(p.journey);
    await nudge.journeys.publish(p.journey.id);
    await nudge.identify({ userId: p.userId, traits: { name: "민지", phone: p.phone } });
    await nudge.drain();
    const profileId = (await nudge.resolve(Tokens.ProfileStore).getByUserId(WS, p.userId))!.id;
    if (p.channelFriend !== undefined) await nudge.profiles.update(profileId, (x) => ({ ...x, contacts: { ...x.contacts, kakao: { channelFriend: p.channelFriend! } } }));
    for (const channel of p.subscribed ? ["kakao", "sms"] : []) await nudge.profiles.setSubscription(profileId, { channel, state: "subscribed", source: "signup form" });
    for (const e of p.events) {
      await advance(nudge, clock, Date.parse(e.at));
      await nudge.track({ userId: p.userId, event: e.name, properties: e.properties ?? {}, timestamp: e.at });
      await nudge.drain();
    }
    const settled = async () => {
      const active = await nudge.resolve(Tokens.EnrollmentStore).listByProfile(WS, profileId, { state: "active" });
      const log = await nudge.resolve(Tokens.MessageStore).list(WS, { profileId, limit: 100 });
      return active.length === 0 && !log.items.some((m) => ["queued", "deferred", "sending"].includes(m.status));
    };
    await advance(nudge, clock, clock.now() + 3 * 86_400_000, settled);
    const log = (await nudge.resolve(Tokens.MessageStore).list(WS, { profileId, limit: 100 })).items.sort((a, b) => a.createdAt - b.createdAt);
    const enrollments = await nudge.resolve(Tokens.EnrollmentStore).listByProfile(WS, profileId);
    return {
      steps,
      messages: log.map((m) => ({
        stepId: m.stepId,
        status: m.status,
        channel: m.channel,
        at: iso(m.sentAt ?? m.updatedAt),
        content: m.content?.[m.channel] ?? null,
        attempts: m.attempts.map(attemptView),
        decisions: m.decisions,
      })),
      enrollments: enrollments.map((e) => `${e.journeyId} ${e.state} ${e.exitReason ?? "-"}`),
    };
  } finally {
    await nudge.stop();
  }
}

describe("simulate() agrees with production, person by person", () => {
  const dir = mkdtempSync(join(tmpdir(), "nudge-simulate-"));
  let host: Nudge;
  // The host simulating runs on SQLite and is created, never started; it names no throwaway store.
  beforeAll(async () => {
    host = await createNudge({ workspace: WS, plugins: [storageSqlite({ path: join(dir, "nudge.db") }), ...assembly()], logger: silentLogger() });
  });
  afterAll(async () => {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const simulate = async (p: Person) =>
    fromSimulation(
      await host.simulate(p.journey, {
        profile: {
          userId: p.userId,
          traits: { name: "민지" },
          contacts: { phone: p.phone, ...(p.channelFriend === undefined ? {} : { kakao: { channelFriend: p.channelFriend } }) },
          subscriptions: p.subscribed ? [{ channel: "kakao", state: "subscribed" }, { channel: "sms", state: "subscribed" }] : [],
        },
        events: p.events,
      }),
    );

  /** What production does for each person, stated here too, so two equally wrong sides cannot agree. */
  const expected: Record<string, (o: Outcome) => void> = {
    plain: (o) => expect(o.messages.map((m) => [m.status, m.attempts])).toEqual([["sent", ["sms sandbox sent SMS -"]]]),
    "sms-refused": (o) => expect(o.messages.map((m) => [m.status, m.attempts])).toEqual([["failed", ["sms sandbox failed SMS sandbox_permanent"]]]),
    "not-friend": (o) => expect(o.messages[0]!.attempts).toEqual(["kakao sandbox unreachable BMS_TEXT NUDGE_NOT_CHANNEL_FRIEND", "sms sandbox sent LMS -"]),
    "kakao-down": (o) => expect(o.messages[0]!.attempts).toEqual(["kakao sandbox unreachable BMS_TEXT sandbox_unreachable", "sms sandbox sent LMS -"]),
    "no-consent": (o) => expect(o.messages.map((m) => [m.status, m.decisions.map((d) => (d as { policy: string }).policy)])).toEqual([["suppressed", ["consent"]]]),
    night: (o) =>
      expect(o.messages.map((m) => [m.status, m.channel, m.at, m.decisions.map((d) => (d as { rule?: string; policy: string }).rule ?? (d as { policy: string }).policy)])).toEqual([
        ["sent", "kakao", "2026-03-02T23:00:00.000Z", ["night-window"]],
      ]),
    buyer: (o) => expect(o.messages.map((m) => [m.stepId, m.at, m.content])).toEqual([["thanks", "2026-03-02T03:20:00.000Z", expect.objectContaining({ text: "주문 A-7 감사합니다." })]]),
    browser: (o) => expect(o.messages.map((m) => [m.stepId, m.at])).toEqual([["remind", "2026-03-02T04:00:00.000Z"]]),
  };

  it.each(people.map((p) => [p.userId, p] as const))("%s", async (_, person) => {
    const production = await inProduction(person);
    expected[person.userId]!(production);
    expect(production.enrollments).toEqual([`${person.journey.id} completed -`]);
    expect(await simulate(person)).toEqual(production);
  });

  it("reads the live store only for what the definition names, and says so when it cannot", async () => {
    const stored = journey("stored").on("signed_up").send("hi", { channel: "sms", template: "welcome-sms" }).build();
    await expect(host.simulate(stored, { profile: { userId: "u1", contacts: { phone: "+821012340001" } }, events: [{ at: NOON_KST, name: "signed_up" }] })).rejects.toMatchObject({
      code: "NUDGE_SIMULATION",
      message: expect.stringMatching(/template "welcome-sms".*start\(\) the instance first/),
    });
  });
});
