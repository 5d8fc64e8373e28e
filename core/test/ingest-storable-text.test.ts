import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { makeNudge } from "./helpers.js";

describe("strings no store keeps as sent are refused at the core's boundary, naming the field", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a lone surrogate in userId", { userId: "\ud800" }, "userId"],
    ["a NUL in anonymousId", { anonymousId: "a\u0000b" }, "anonymousId"],
    ["a lone surrogate deep in traits", { userId: "u1", traits: { list: ["ok", { name: "x\udc00" }] } }, "traits.list[1].name"],
    ["a NUL in a trait's key", { userId: "u1", traits: { "a\u0000": 1 } }, "traits.a\u0000"],
    ["a lone surrogate in messageId", { userId: "u1", messageId: "\udfff" }, "messageId"],
  ];
  for (const [name, input, path] of cases) {
    it(`identify: ${name}`, async () => {
      const { nudge } = await makeNudge();
      await nudge.start();
      const err = await nudge.identify(input as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.path)).toContain(path);
      await nudge.stop();
    });
  }

  it("track: the event name and properties too; the same ids, well formed, then work as usual", async () => {
    const { nudge } = await makeNudge();
      await nudge.start();
    const bad = await nudge.track({ userId: "u1", event: "sign\ud800" }).catch((e: unknown) => e);
    expect((bad as ValidationError).issues.map((i) => i.path)).toEqual(["event"]);
    const props = await nudge.track({ userId: "u1", event: "e", properties: { q: "\u0000" } }).catch((e: unknown) => e);
    expect((props as ValidationError).issues.map((i) => i.path)).toEqual(["properties.q"]);
    // Nothing was stored for the refused calls, so the id is not poisoned: identify twice, same profile.
    const a = await nudge.identify({ userId: "u1", traits: { name: "Minji 😀" } });
    const b = await nudge.identify({ userId: "u1" });
    expect(b.profileId).toBe(a.profileId);
    await nudge.stop();
  });
});
