import { describe, expect, it } from "vitest";
import { Tokens, type Nudge } from "@nudge/core";
import { advance, enrollmentsOf, publish, start, testChannels, WS } from "./journeys-support.js";

/** A journey that greets whoever enters "pro"; the segment holds people whose plan is pro. */
async function world() {
  const channels = testChannels(["sms"]);
  const { nudge, clock } = await start({ channels: channels.plugin });
  await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
  await publish(nudge, {
    id: "pro-welcome",
    trigger: { type: "segment", segment: "pro" },
    steps: [{ id: "hi", type: "send", channel: "sms", content: { text: "Welcome to Pro" } }],
  });
  await nudge.identify({ userId: "u1", traits: { plan: "free" } });
  await nudge.drain();
  return { nudge, clock, channels };
}

async function notices(nudge: Nudge): Promise<number> {
  // Every timer still stored, due or not, counted by kind.
  const timers = nudge.resolve(Tokens.TimerStore);
  const due = await timers.claimDue(WS, Number.MAX_SAFE_INTEGER, 1000, 1);
  return due.filter((t) => t.kind === "segment.notice").length;
}

describe("segments: a change reaches journeys even when the process dies after the membership write", () => {
  it("normally: the change's job enrols the person and its notice is cancelled", async () => {
    const { nudge, channels } = await world();
    await nudge.identify({ userId: "u1", traits: { plan: "pro" } });
    await nudge.drain();
    expect(channels.calls.map((c) => c.text)).toEqual(["Welcome to Pro"]);
    expect(await notices(nudge)).toBe(0);
    await nudge.stop();
  });

  it("a change whose job was never queued is announced by its notice a minute later, once", async () => {
    const { nudge, clock, channels } = await world();
    // The process "dies" right after the membership write: the change's job never reaches the queue.
    const queue = nudge.resolve(Tokens.JobQueue);
    const add = queue.add.bind(queue);
    let dropped = 0;
    queue.add = async (job) => {
      if (job.name === "segment.changed" && dropped === 0) {
        dropped++;
        throw new Error("process died");
      }
      return add(job);
    };
    await nudge.identify({ userId: "u1", traits: { plan: "pro" } });
    await nudge.drain();
    expect(dropped).toBe(1);
    expect(channels.calls).toEqual([]);
    expect((await nudge.segments.members("pro")).items).toHaveLength(1);

    await advance(nudge, clock, 61_000);
    expect(channels.calls.map((c) => c.text)).toEqual(["Welcome to Pro"]);
    // The replayed event re-evaluates too; nothing is announced twice.
    await advance(nudge, clock, 10 * 60_000);
    expect(channels.calls).toHaveLength(1);
    expect(await enrollmentsOf(nudge, "u1")).toHaveLength(1);
    await nudge.stop();
  });

  it("a change announced twice (job ran, its notice fired anyway) enrols once", async () => {
    const { nudge, clock, channels } = await world();
    const timers = nudge.resolve(Tokens.TimerStore);
    const cancel = timers.cancel.bind(timers);
    timers.cancel = async (ws, id) => (id.startsWith("segment.notice:") ? undefined : cancel(ws, id));
    await nudge.identify({ userId: "u1", traits: { plan: "pro" } });
    await nudge.drain();
    await advance(nudge, clock, 61_000);
    expect(channels.calls.map((c) => c.text)).toEqual(["Welcome to Pro"]);
    expect(await enrollmentsOf(nudge, "u1")).toHaveLength(1);
    await nudge.stop();
  });

  it("a notice whose membership never got written (or was undone) announces nothing", async () => {
    const { nudge, clock, channels } = await world();
    const segments = nudge.resolve(Tokens.SegmentStore);
    const setMember = segments.setMember.bind(segments);
    let failed = 0;
    segments.setMember = async (...args) => {
      if (failed === 0) {
        failed++;
        throw new Error("process died");
      }
      return setMember(...args);
    };
    await nudge.identify({ userId: "u1", traits: { plan: "pro" } });
    await nudge.drain();
    expect(failed).toBe(1);
    expect((await nudge.segments.members("pro")).items).toEqual([]);
    // The notice fires, finds no membership behind it, and is done: nobody is greeted for a change that did not happen.
    await advance(nudge, clock, 61_000);
    expect(channels.calls).toEqual([]);
    expect(await notices(nudge)).toBe(0);
    await nudge.stop();
  });
});
