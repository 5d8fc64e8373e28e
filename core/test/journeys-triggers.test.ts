import { describe, expect, it } from "vitest";
import { Tokens, type JourneyDefinitionInput } from "@nudge/core";
import { SEGMENT_CHANGED_JOB } from "../src/engine/engine-tokens.js";
import { advance, DAY, enrollmentsOf, HOUR, publish, start, testChannels } from "./journeys-support.js";

const greet = (id: string, trigger: JourneyDefinitionInput["trigger"], text: string): JourneyDefinitionInput => ({
  id,
  trigger,
  steps: [{ id: "hi", type: "send", channel: "sms", content: { text } }],
});

describe("journeys: segment and inactivity triggers", () => {
  it("entering and leaving a segment enrol people into journeys triggered by it", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    await publish(nudge, greet("pro-welcome", { type: "segment", segment: "pro", on: "entered" }, "welcome to pro ({{ vars.segment.id }})"));
    await publish(nudge, greet("pro-goodbye", { type: "segment", segment: "pro", on: "exited" }, "sorry to see you go"));
    await nudge.identify({ userId: "s", traits: { plan: "pro" } });
    await nudge.drain();
    expect(channels.calls.map((c) => c.text)).toEqual(["welcome to pro (pro)"]);
    await nudge.identify({ userId: "s", traits: { plan: "free" } });
    await nudge.drain();
    expect(channels.calls.map((c) => c.text)).toEqual(["welcome to pro (pro)", "sorry to see you go"]);
    await nudge.stop();
  });

  it("a segment change job delivered twice enrols once", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, greet("vip", { type: "segment", segment: "vip", on: "entered" }, "vip"));
    const { profileId } = await nudge.identify({ userId: "d" });
    const change = { segmentId: "vip", profileId, change: "entered", at: 1_000 };
    const queue = nudge.resolve(Tokens.JobQueue);
    await queue.add({ name: SEGMENT_CHANGED_JOB, data: change, key: profileId });
    await queue.add({ name: SEGMENT_CHANGED_JOB, data: change, key: profileId });
    await nudge.drain();
    expect(channels.calls).toHaveLength(1);
    await nudge.stop();
  });

  it("inactivity: enrols after the configured quiet time, re-armed by every matching event", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, greet("win-back", { type: "inactivity", event: "app_opened", after: "P14D" }, "we miss you"));
    await nudge.track({ userId: "i", event: "app_opened" });
    await nudge.drain();
    await advance(nudge, clock, 10 * DAY);
    await nudge.track({ userId: "i", event: "app_opened" });
    await nudge.track({ userId: "i", event: "page_viewed" }); // not the watched event: does not re-arm
    await nudge.drain();
    await advance(nudge, clock, 14 * DAY - HOUR);
    expect(channels.calls).toEqual([]);
    await advance(nudge, clock, HOUR);
    expect(channels.calls.map((c) => c.text)).toEqual(["we miss you"]);
    expect((await enrollmentsOf(nudge, "i"))[0]).toMatchObject({ journeyId: "win-back", state: "completed" });
    await nudge.stop();
  });

  it("trigger sources and hosts enrol by journey id; a repeated key enrols once", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, { ...greet("manual", { type: "schedule", cron: "0 10 * * *" }, "hello {{ vars.name }}"), entry: { reentry: "always", allowConcurrent: true } });
    const { profileId } = await nudge.identify({ userId: "m" });
    expect(await nudge.enroll("manual", profileId, { key: "2026-03-02", vars: { name: "Mina" } })).toMatchObject({ state: "completed" });
    expect(await nudge.enroll("manual", profileId, { key: "2026-03-02", vars: { name: "Mina" } })).toMatchObject({ state: "completed" });
    expect(await nudge.enroll("missing", profileId)).toBeNull();
    expect(channels.calls.map((c) => c.text)).toEqual(["hello Mina"]);
    await nudge.stop();
  });
});
