import { describe, expect, it } from "vitest";
import { FakeClock, SandboxProviderConfig, type NudgeError } from "@nudge/core";
import { SandboxOutbox } from "../src/sandbox/sandbox-outbox.js";
import { SandboxProvider } from "../src/sandbox/sandbox-provider.js";
import { aProfile, sendContext } from "@nudge/core/testkit";

function provider(config: Partial<SandboxProviderConfig>) {
  const outbox = new SandboxOutbox();
  const p = new SandboxProvider("sms", SandboxProviderConfig.parse(config), outbox, new FakeClock());
  const send = (to: string, key: string, attempt = 1) =>
    p.send({ to, payload: { text: "hi" }, context: sendContext(aProfile("w"), { channel: "sms", idempotencyKey: key, attempt }) });
  return { outbox, send };
}

describe("sandbox provider", () => {
  it("records what it would have sent", async () => {
    const { outbox, send } = provider({});
    const r = await send("+821012345678", "k1");
    expect(r.providerMessageId).toMatch(/^sandbox-sms-1-/);
    expect(outbox.list()).toEqual([expect.objectContaining({ channel: "sms", to: "+821012345678", content: { text: "hi" }, idempotencyKey: "k1" })]);
  });

  it("fails chosen recipients with the chosen kind of error", async () => {
    const { outbox, send } = provider({ failFor: { "+1": "permanent", "+2": "transient", "+3": "unreachable", "+4": "rate_limited" } });
    const codes = [];
    for (const to of ["+1", "+2", "+3", "+4"]) codes.push(await send(to, `k-${to}`).catch((e: NudgeError) => [e.code, e.retryable]));
    expect(codes).toEqual([
      ["NUDGE_CHANNEL_REJECTED", false],
      ["NUDGE_CHANNEL_UNAVAILABLE", true],
      ["NUDGE_RECIPIENT_UNREACHABLE", false],
      ["NUDGE_CHANNEL_RATE_LIMITED", true],
    ]);
    expect(outbox.list()).toEqual([]);
  });

  it("fails a deterministic share of sends", async () => {
    const run = async () => {
      const { send } = provider({ failRate: 0.3 });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 2000; i++) outcomes.push(await send("+8210", `key-${i}`).then(() => true, () => false));
      return outcomes;
    };
    const first = await run();
    const failed = first.filter((ok) => !ok).length / first.length;
    expect(failed).toBeGreaterThan(0.27);
    expect(failed).toBeLessThan(0.33);
    expect(await run()).toEqual(first);
  });
});
