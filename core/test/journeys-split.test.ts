import { describe, expect, it } from "vitest";
import type { Enrollment, JourneyDefinitionInput } from "@nudge/core";
import { publish, start } from "./journeys-support.js";

const PEOPLE = 10_000;

const ab: JourneyDefinitionInput = {
  id: "ab",
  trigger: { type: "event", event: "entered" },
  entry: { reentry: "always" },
  steps: [
    {
      id: "arm",
      type: "split",
      paths: [
        { name: "A", percent: 50, next: "a" },
        { name: "B", percent: 30, next: "b" },
      ],
      holdout: { percent: 20 },
    },
    { id: "a", type: "exit", reason: "saw A" },
    { id: "b", type: "exit", reason: "saw B" },
  ],
};

/** Runs everyone through the journey `rounds` times in one fresh instance; returns each person's recorded arms. */
async function assign(people: string[], def: JourneyDefinitionInput = ab, rounds = 1): Promise<Map<string, string>> {
  const { nudge } = await start({ settings: { concurrency: 8 } });
  await publish(nudge, def);
  const arms = new Map<string, Set<string>>();
  nudge.hooks.on("enrollment.updated", (e: Enrollment) => {
    const arm = (e.context["splits"] as Record<string, string> | undefined)?.["arm"];
    if (arm) arms.set(`${e.profileId}`, (arms.get(e.profileId) ?? new Set()).add(arm));
  });
  const byProfile = new Map<string, string>();
  for (let round = 0; round < rounds; round++) {
    for (const userId of people) byProfile.set((await nudge.track({ userId, event: "entered" })).profileId, userId);
    await nudge.drain();
  }
  await nudge.stop();
  return new Map([...arms].map(([profileId, set]) => [byProfile.get(profileId)!, [...set].join("|")]));
}

describe("journeys: A/B/n split with a holdout", () => {
  it("over 10,000 people the arms, holdout included, are within 2 points of 50/30/20", async () => {
    const people = Array.from({ length: PEOPLE }, (_, i) => `person-${i}`);
    const arms = await assign(people);
    expect(arms.size).toBe(PEOPLE);
    const share = (name: string) => ([...arms.values()].filter((a) => a === name).length / PEOPLE) * 100;
    expect(Math.abs(share("A") - 50)).toBeLessThan(2);
    expect(Math.abs(share("B") - 30)).toBeLessThan(2);
    expect(Math.abs(share("holdout") - 20)).toBeLessThan(2);
  }, 120_000);

  it("the same person always lands in the same arm: on re-entry, in another instance, and in a new version", async () => {
    const people = Array.from({ length: 500 }, (_, i) => `person-${i}`);
    const first = await assign(people, ab, 3);
    const again = await assign(people);
    const v2 = await assign(people, { ...ab, steps: ab.steps.map((s) => (s.type === "exit" ? { ...s, reason: "changed copy" } : s)) });
    expect(again).toEqual(first);
    expect(v2).toEqual(first);
    expect(new Set(first.values())).toEqual(new Set(["A", "B", "holdout"]));
  }, 60_000);

  it("shares that do not add up to 100 are refused, naming the step", async () => {
    const { nudge } = await start();
    const bad: JourneyDefinitionInput = { ...ab, steps: [{ id: "arm", type: "split", paths: [{ name: "A", percent: 60 }], holdout: { percent: 30 } }] };
    await expect(nudge.journeys.put(bad)).rejects.toMatchObject({ issues: [{ path: "steps[0](arm).paths", message: "percentages add up to 90, not 100" }] });
    await nudge.stop();
  });
});
