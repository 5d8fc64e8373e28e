import { describe, expect, it } from "vitest";
import { journey, parseJourney, ValidationError, type JourneyDefinitionInput } from "@nudge/core";
import { start } from "./journeys-support.js";

const issuesOf = (input: unknown) => {
  try {
    parseJourney(input);
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  return [];
};

const base = { id: "j", trigger: { type: "event", event: "x" } } satisfies Partial<JourneyDefinitionInput>;

describe("journeys: definitions are parsed with zod; errors name the step id and the field", () => {
  it.each([
    ["a wait with two kinds", [{ id: "w", type: "wait", duration: "P1D", at: "2026-01-01T00:00:00Z" }], "steps[0](w).duration", /exactly one of duration, until, at, trait/],
    ["a bad ISO duration", [{ id: "a" , type: "exit" }, { id: "t", type: "wait-for-event", events: [{ event: "e" }], timeout: "1 hour" }], "steps[1](t).timeout", /ISO 8601 duration/],
    ["a bad local time", [{ id: "ten", type: "wait", until: { time: "25:00" } }], "steps[0](ten).until.time", /24-hour time/],
    ["an unknown zone", [{ id: "z", type: "wait", until: { time: "10:00", zone: "Mars/Olympus" } }], "steps[0](z).until.zone", /IANA/],
    ["an unknown next step", [{ id: "s", type: "send", channel: "sms", content: { text: "x" }, next: "nowhere" }], "steps[0](s).next", /unknown step "nowhere"/],
    ["an unknown branch target", [{ id: "b", type: "branch", paths: [{ when: { type: "trait", trait: "t", op: "exists" }, next: "gone" }] }], "steps[0](b).paths[0].next", /unknown step "gone"/],
    ["a send without content", [{ id: "s", type: "send", channel: "sms" }], "steps[0](s).content", /content or template/],
    ["an unknown step type", [{ id: "s", type: "teleport" }], "steps[0](s).type", /.+/],
    ["a webhook to ftp", [{ id: "h", type: "webhook", url: "ftp://example.com/x" }], "steps[0](h).url", /.+/],
    ["a duplicate step id", [{ id: "e", type: "exit" }, { id: "e", type: "exit" }], "steps[1](e).id", /duplicate step id "e"/],
  ])("%s", (_label, steps, path, message) => {
    const issues = issuesOf({ ...base, steps });
    expect(issues).toEqual(expect.arrayContaining([{ path, message: expect.stringMatching(message) }]));
  });

  it("the instance also checks channels and templates, naming the step", async () => {
    const { nudge } = await start();
    await expect(
      nudge.journeys.put({
        ...base,
        steps: [
          { id: "s", type: "send", channel: "fax", content: { text: "x" }, next: "h" },
          { id: "h", type: "webhook", url: "https://crm.example.com/hook", body: { who: "{{ person.name }}" } },
        ],
      }),
    ).rejects.toMatchObject({
      issues: [
        { path: "steps[0](s).channel", message: expect.stringContaining('unknown channel "fax"') },
        { path: "steps[1](h).body.who", message: expect.stringContaining('unknown variable "person"') },
      ],
    });
    await nudge.stop();
  });

  it("the builder produces the same JSON as writing it by hand", () => {
    const built = journey("welcome")
      .name("Welcome")
      .on("signed_up", [{ property: "plan", op: "neq", value: "test" }])
      .entry({ reentry: "never" })
      .exitOn("unsubscribed")
      .goal({ event: "first_order", within: "P14D" })
      .send("hello", { channel: "sms", content: { text: "hi" } })
      .wait("next-morning", { until: { time: "10:00", after: "P1D" } })
      .branch("ordered?", { paths: [{ name: "buyer", when: { type: "trait", trait: "orders", op: "gt", value: 0 }, next: "thanks" }], otherwise: "nudge" })
      .send("thanks", { channel: "sms", content: { text: "thanks" }, next: null })
      .send("nudge", { channel: "sms", content: { text: "first order?" } })
      .exit("done");
    const byHand: JourneyDefinitionInput = {
      id: "welcome",
      name: "Welcome",
      trigger: { type: "event", event: "signed_up", where: [{ property: "plan", op: "neq", value: "test" }] },
      entry: { reentry: "never" },
      exitOn: [{ event: "unsubscribed" }],
      goal: { event: "first_order", within: "P14D" },
      steps: [
        { id: "hello", type: "send", channel: "sms", content: { text: "hi" }, next: "next-morning" },
        { id: "next-morning", type: "wait", until: { time: "10:00", after: "P1D" }, next: "ordered?" },
        { id: "ordered?", type: "branch", paths: [{ name: "buyer", when: { type: "trait", trait: "orders", op: "gt", value: 0 }, next: "thanks" }], otherwise: "nudge" },
        { id: "thanks", type: "send", channel: "sms", content: { text: "thanks" } },
        { id: "nudge", type: "send", channel: "sms", content: { text: "first order?" }, next: "done" },
        { id: "done", type: "exit" },
      ],
    };
    // "ordered?" is not a valid step id: the builder refuses it the way the parser does.
    expect(() => built.build()).toThrow(/steps\[2\]\(ordered\?\)\.id/);
    const fixed = (json: JourneyDefinitionInput) => JSON.parse(JSON.stringify(json).replaceAll("ordered?", "ordered")) as JourneyDefinitionInput;
    const rebuilt = journey("welcome")
      .name("Welcome")
      .on("signed_up", [{ property: "plan", op: "neq", value: "test" }])
      .entry({ reentry: "never" })
      .exitOn("unsubscribed")
      .goal({ event: "first_order", within: "P14D" })
      .send("hello", { channel: "sms", content: { text: "hi" } })
      .wait("next-morning", { until: { time: "10:00", after: "P1D" } })
      .branch("ordered", { paths: [{ name: "buyer", when: { type: "trait", trait: "orders", op: "gt", value: 0 }, next: "thanks" }], otherwise: "nudge" })
      .send("thanks", { channel: "sms", content: { text: "thanks" }, next: null })
      .send("nudge", { channel: "sms", content: { text: "first order?" } })
      .exit("done")
      .build();
    expect(rebuilt).toEqual(fixed(byHand));
    expect(parseJourney(rebuilt)).toEqual(parseJourney(fixed(byHand)));
  });
});
