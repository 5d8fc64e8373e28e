import { describe, expect, it } from "vitest";
import { FakeClock, Tokens, type JourneyDefinitionInput, type Nudge } from "@nudge/core";
import { advance, DAY, enrollmentsOf, Faults, faultyStores, memoryStores, messagesOf, MINUTE, publish, start, testChannels, WS } from "./journeys-support.js";

const twoSends: JourneyDefinitionInput = {
  id: "receipt",
  trigger: { type: "event", event: "paid" },
  steps: [
    { id: "hello", type: "send", channel: "sms", content: { text: "paid: {{ event.properties.amount }}" }, next: "bye" },
    { id: "bye", type: "send", channel: "sms", content: { text: "thanks" } },
  ],
};

/**
 * Crash points of a send step: label, fault point, when it fires, and how many times the provider gets
 * the first message in the end. A crash once the message is claimed ("sending") and before its answer
 * is recorded settles it as failed and never resends it: the provider may have accepted it.
 */
type Point = [label: string, point: string, when: (arg: unknown) => boolean, firstSent: 0 | 1];
const sentOnly = (m: unknown) => (m as { status: string }).status === "sent";
const SHARED_POINTS: Point[] = [
  ["after the provider accepted it, before the message is updated", "messages.update:before", sentOnly, 1],
  ["after the message update, before the enrollment moves", "enrollments.update:before", (e) => (e as { stepId: string }).stepId === "bye", 1],
];
/** A store with insertClaimed: the message is first written when it is claimed. */
const POINTS: Point[] = [
  ["before the message is claimed (its first write)", "messages.insertClaimed:before", () => true, 1],
  ["after the claim, before the provider is called", "messages.insertClaimed:after", () => true, 0],
  ...SHARED_POINTS,
];
/** A store without it: inserted queued first, claimed later. */
const INSERT_FIRST_POINTS: Point[] = [
  ["before the message insert", "messages.insert:before", () => true, 1],
  ["after the insert, before the claim", "messages.insert:after", () => true, 1],
  ["after the claim, before the provider is called", "messages.claimSend:after", () => true, 0],
  ...SHARED_POINTS,
];

/** Runs one crash and the recovery; returns the provider calls and the instance that recovered. */
async function crashAt(point: string, when: (arg: unknown) => boolean, restart: boolean, withoutInsertClaimed: boolean) {
  const faults = new Faults();
  const stores = faultyStores(faults, { withoutInsertClaimed });
  const clock = new FakeClock("2026-03-02T00:00:00Z");
  const channels = testChannels(["sms"]);
  let nudge: Nudge = (await start({ stores, clock, channels: channels.plugin })).nudge;
  await publish(nudge, twoSends);
  faults.arm(point, when);
  await nudge.track({ userId: "payer", event: "paid", properties: { amount: 9900 } });
  await nudge.drain();
  expect(faults.fired).toEqual([point]);
  if (restart) {
    await nudge.stop();
    nudge = (await start({ stores, clock, channels: testChannels(["sms"], { calls: channels.calls }).plugin })).nudge;
  }
  await advance(nudge, clock, MINUTE); // the recovery timer
  await advance(nudge, clock, 15 * MINUTE); // a message left mid-send is settled once its lease ends
  await advance(nudge, clock, DAY);
  return { nudge, calls: channels.calls };
}

describe.each([
  ["in the same process", false, false, POINTS],
  ["after a restart on the same storage", true, false, POINTS],
  ["in the same process, a store without insertClaimed", false, true, INSERT_FIRST_POINTS],
  ["after a restart, a store without insertClaimed", true, true, INSERT_FIRST_POINTS],
] as const)("journeys: a crash at each point of a send step yields exactly one message (%s)", (_mode, restart, withoutInsertClaimed, points) => {
  it.each(points)("%s", async (_label, point, when, firstSent) => {
    const { nudge, calls } = await crashAt(point, when, restart, withoutInsertClaimed);
    expect(calls.filter((c) => c.text === "paid: 9900")).toHaveLength(firstSent);
    expect(calls.filter((c) => c.text === "thanks")).toHaveLength(1);
    const log = await messagesOf(nudge);
    expect(log.filter((m) => m.stepId === "hello")).toHaveLength(1);
    // Settled either way: sent, or (provider answer lost in the crash) failed with the reason, never resent.
    expect(log.map((m) => m.status).filter((s) => s !== "sent" && s !== "failed")).toEqual([]);
    if (firstSent === 0) expect(log.find((m) => m.stepId === "hello")?.decisions.at(-1)?.reason).toMatch(/interrupted while sending/);
    expect(log.filter((m) => m.stepId === "bye")).toHaveLength(1);
    expect((await enrollmentsOf(nudge, "payer"))[0]).toMatchObject({ state: "completed", stepId: "bye" });
    await nudge.stop();
  });
});

describe("journeys: durability across restarts", () => {
  it("a 7-day wait survives a redeploy: another instance on the same storage sends at day 7", async () => {
    const stores = memoryStores();
    const clock = new FakeClock("2026-03-02T00:00:00Z");
    const calls = testChannels(["sms"]).calls;
    const first = await start({ stores, clock, channels: testChannels(["sms"], { calls }).plugin });
    await publish(first.nudge, {
      id: "week",
      trigger: { type: "event", event: "joined" },
      steps: [
        { id: "w", type: "wait", duration: "P7D", next: "s" },
        { id: "s", type: "send", channel: "sms", content: { text: "one week in" } },
      ],
    });
    await first.nudge.track({ userId: "w1", event: "joined" });
    await first.nudge.drain();
    await advance(first.nudge, clock, 3 * DAY);
    await first.nudge.stop();

    const second = await start({ stores, clock, channels: testChannels(["sms"], { calls }).plugin });
    await advance(second.nudge, clock, 4 * DAY - MINUTE);
    expect(calls).toEqual([]);
    await advance(second.nudge, clock, MINUTE);
    expect(calls.map((c) => [c.text, c.at - Date.parse("2026-03-02T00:00:00Z")])).toEqual([["one week in", 7 * DAY]]);
    await second.nudge.stop();
  });
});

describe("journeys: other effects are not repeated after a crash", () => {
  it("an increment applied before the crash is not applied again by the recovered run", async () => {
    const faults = new Faults();
    const { nudge, clock } = await start({ stores: faultyStores(faults) });
    await publish(nudge, {
      id: "points",
      trigger: { type: "event", event: "purchase" },
      steps: [{ id: "add", type: "update-profile", increment: { points: 10 } }],
    });
    await nudge.identify({ userId: "c", traits: { points: 5 } });
    faults.arm("enrollments.update:before", (e) => (e as { state: string }).state === "completed");
    await nudge.track({ userId: "c", event: "purchase" });
    await nudge.drain();
    expect(faults.fired).toHaveLength(1);
    await advance(nudge, clock, 2 * MINUTE);
    expect((await nudge.resolve(Tokens.ProfileStore).getByUserId(WS, "c"))?.traits).toEqual({ points: 15 });
    expect((await enrollmentsOf(nudge, "c"))[0]).toMatchObject({ state: "completed" });
    await nudge.stop();
  });
});

describe("journeys: a crash in a run started by a wait's timer", () => {
  const waitThenSend: JourneyDefinitionInput = {
    id: "later",
    trigger: { type: "event", event: "joined" },
    steps: [
      { id: "w", type: "wait", duration: "PT1H", next: "tip" },
      { id: "tip", type: "send", channel: "sms", content: { text: "a tip" } },
    ],
  };

  it.each([
    ["after the person moved to the send, before its message exists", "messages.insertClaimed:before"],
    ["after the provider accepted it, before the message is updated", "messages.update:before"],
  ])("%s: the timer fires again when its lease ends and exactly one message goes out", async (_label, point) => {
    const faults = new Faults();
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ stores: faultyStores(faults), channels: channels.plugin });
    await publish(nudge, waitThenSend);
    await nudge.track({ userId: "t", event: "joined" });
    await nudge.drain();
    faults.arm(point, (m) => (m as { stepId?: string; status?: string }).stepId === "tip" && (point !== "messages.update:before" || (m as { status: string }).status === "sent"));
    await advance(nudge, clock, 61 * MINUTE);
    expect(faults.fired).toEqual([point]);
    await advance(nudge, clock, DAY);
    expect(channels.calls.map((c) => c.text)).toEqual(["a tip"]);
    expect((await messagesOf(nudge)).map((m) => m.stepId)).toEqual(["tip"]);
    expect((await enrollmentsOf(nudge, "t"))[0]).toMatchObject({ state: "completed" });
    await nudge.stop();
  });
});
