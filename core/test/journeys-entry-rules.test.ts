import { describe, expect, it } from "vitest";
import type { JourneyDefinitionInput } from "@nudge/core";
import { advance, DAY, enrollmentsOf, HOUR, publish, start, testChannels } from "./journeys-support.js";

/** Enters on "visited", says hello, then waits two days before it ends (so an enrollment stays active a while). */
function visitJourney(entry: JourneyDefinitionInput["entry"]): JourneyDefinitionInput {
  return {
    id: "visit",
    trigger: { type: "event", event: "visited" },
    entry,
    steps: [
      { id: "hello", type: "send", channel: "sms", content: { text: "hello" }, next: "linger" },
      { id: "linger", type: "wait", duration: "P2D" },
    ],
  };
}

async function visits(entry: JourneyDefinitionInput["entry"], schedule: number[]): Promise<{ sent: number[]; states: string[] }> {
  const channels = testChannels(["sms"]);
  const { nudge, clock } = await start({ channels: channels.plugin });
  await publish(nudge, visitJourney(entry));
  const t0 = clock.now();
  for (const at of schedule) {
    await advance(nudge, clock, t0 + at - clock.now());
    await nudge.track({ userId: "p", event: "visited" });
    await nudge.drain();
  }
  await advance(nudge, clock, 10 * DAY);
  const states = (await enrollmentsOf(nudge, "p")).map((e) => e.state);
  await nudge.stop();
  return { sent: channels.calls.map((c) => Math.round((c.at - t0) / HOUR)), states };
}

describe("journeys: entry rules", () => {
  it("re-entry never: one enrollment for life, whatever comes later", async () => {
    const r = await visits({ reentry: "never" }, [0, 1 * HOUR, 5 * DAY]);
    expect(r.sent).toEqual([0]);
    expect(r.states).toEqual(["completed"]);
  });

  it("re-entry always, one active at a time: a visit while enrolled is ignored, a visit after it ended enrols again", async () => {
    const r = await visits({ reentry: "always" }, [0, 1 * HOUR, 3 * DAY]);
    expect(r.sent).toEqual([0, 72]);
    expect(r.states).toEqual(["completed", "completed"]);
  });

  it("re-entry always with concurrency allowed: every visit enrols", async () => {
    const r = await visits({ reentry: "always", allowConcurrent: true }, [0, 1 * HOUR, 2 * HOUR]);
    expect(r.sent).toEqual([0, 1, 2]);
    expect(r.states).toHaveLength(3);
  });

  it("re-entry after a cooldown: counted from the last entry", async () => {
    const r = await visits({ reentry: "cooldown", cooldown: "P7D" }, [0, 3 * DAY, 6 * DAY, 7 * DAY, 8 * DAY]);
    expect(r.sent).toEqual([0, 7 * 24]);
  });

  it("a cooldown without a duration is refused at definition time, naming the field", async () => {
    const { nudge } = await start();
    await expect(nudge.journeys.put(visitJourney({ reentry: "cooldown" }))).rejects.toMatchObject({
      code: "NUDGE_VALIDATION",
      issues: [{ path: "entry.cooldown", message: expect.stringContaining("cooldown") }],
    });
    await nudge.stop();
  });

  it("replaying the same trigger event enrols once", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, visitJourney({ reentry: "always", allowConcurrent: true }));
    await nudge.track({ userId: "p", event: "visited", messageId: "m-1" });
    await nudge.track({ userId: "p", event: "visited", messageId: "m-1" });
    await nudge.drain();
    expect(channels.calls).toHaveLength(1);
    expect(await enrollmentsOf(nudge, "p")).toHaveLength(1);
    await nudge.stop();
  });
});
