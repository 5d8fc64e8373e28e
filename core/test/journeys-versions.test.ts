import { describe, expect, it } from "vitest";
import type { JourneyDefinitionInput } from "@nudge/core";
import { advance, DAY, enrollmentsOf, HOUR, publish, start, testChannels } from "./journeys-support.js";

function onboarding(text: string): JourneyDefinitionInput {
  return {
    id: "onboarding",
    trigger: { type: "event", event: "signed_up" },
    steps: [
      { id: "wait", type: "wait", duration: "P1D", next: "tip" },
      { id: "tip", type: "send", channel: "sms", content: { text } },
    ],
  };
}

describe("journeys: versions and status", () => {
  it("version pinning: people who entered v1 finish on v1 after v2 is published; newcomers get v2", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, onboarding("tip from v1"));
    await nudge.track({ userId: "early", event: "signed_up" });
    await nudge.drain();
    await advance(nudge, clock, 2 * HOUR);
    await publish(nudge, onboarding("tip from v2"));
    await nudge.track({ userId: "late", event: "signed_up" });
    await nudge.drain();
    await advance(nudge, clock, 2 * DAY);
    expect(channels.calls.map((c) => [c.to, c.text])).toEqual([
      ["early", "tip from v1"],
      ["late", "tip from v2"],
    ]);
    expect((await enrollmentsOf(nudge, "early"))[0]).toMatchObject({ version: 1, state: "completed" });
    expect((await enrollmentsOf(nudge, "late"))[0]).toMatchObject({ version: 2, state: "completed" });
    await nudge.stop();
  });

  it("a new draft changes nothing until it is published", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, onboarding("live"));
    await nudge.journeys.put(onboarding("draft"));
    await nudge.track({ userId: "u", event: "signed_up" });
    await nudge.drain();
    await advance(nudge, clock, 2 * DAY);
    expect(channels.calls.map((c) => c.text)).toEqual(["live"]);
    await nudge.stop();
  });

  it("paused: nobody new enters, people inside are held before their next step and carry on when resumed", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, onboarding("tip"));
    await nudge.track({ userId: "inside", event: "signed_up" });
    await nudge.drain();
    await nudge.journeys.pause("onboarding");
    await nudge.track({ userId: "outside", event: "signed_up" });
    await advance(nudge, clock, 3 * DAY);
    expect(channels.calls).toEqual([]);
    expect(await enrollmentsOf(nudge, "outside")).toEqual([]);
    expect((await enrollmentsOf(nudge, "inside"))[0]).toMatchObject({ state: "active", stepId: "tip" });
    await nudge.journeys.resume("onboarding");
    await advance(nudge, clock, HOUR);
    expect(channels.calls.map((c) => c.to)).toEqual(["inside"]);
    await nudge.stop();
  });

  it("archived: people inside leave at their next step", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, onboarding("tip"));
    await nudge.track({ userId: "inside", event: "signed_up" });
    await nudge.drain();
    await nudge.journeys.archive("onboarding");
    await advance(nudge, clock, 2 * DAY);
    expect(channels.calls).toEqual([]);
    expect((await enrollmentsOf(nudge, "inside"))[0]).toMatchObject({ state: "exited", exitReason: "the journey was archived" });
    await nudge.stop();
  });
});
