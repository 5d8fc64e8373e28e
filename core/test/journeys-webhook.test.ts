import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JourneyDefinitionInput } from "@nudge/core";
import { advance, enrollmentsOf, Faults, faultyStores, HOUR, publish, start, testChannels } from "./journeys-support.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: unknown;
}

let server: Server;
let received: Received[];
let answers: { status: number; body?: unknown }[];
let url: string;

beforeEach(async () => {
  received = [];
  answers = [];
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c: Buffer) => (data += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(data) as unknown });
      const answer = answers.shift() ?? { status: 200, body: { ok: true } };
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/crm`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function hookJourney(extra: Partial<Extract<JourneyDefinitionInput["steps"][number], { type: "webhook" }>> = {}): JourneyDefinitionInput {
  return {
    id: "crm-sync",
    trigger: { type: "event", event: "signed_up" },
    steps: [
      { id: "notify", type: "webhook", url, headers: { authorization: "Bearer {{ vars.token | default: 'demo' }}" }, body: { user: "{{ profile.userId }}", plan: "{{ event.properties.plan }}" }, next: "after", onFailure: "failed", ...extra },
      { id: "after", type: "send", channel: "sms", content: { text: "coupon {{ journey.webhooks.notify.body.coupon }}" } },
      { id: "failed", type: "send", channel: "sms", content: { text: "fallback ({{ journey.webhooks.notify.status }})" } },
    ],
  };
}

const allowLocal = { journeys: { webhooks: { allowPrivateAddresses: true } } };

describe("journeys: webhook step", () => {
  it("POSTs the rendered JSON with an Idempotency-Key; the answer is available to later templates", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin, settings: allowLocal });
    await publish(nudge, hookJourney());
    answers.push({ status: 200, body: { coupon: "WELCOME10" } });
    await nudge.track({ userId: "u1", event: "signed_up", properties: { plan: "pro" } });
    await nudge.drain();
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toEqual({ user: "u1", plan: "pro" });
    expect(received[0]!.headers).toMatchObject({ "content-type": "application/json", authorization: "Bearer demo", "idempotency-key": expect.stringMatching(/:notify:1$/) });
    expect(channels.calls.map((c) => c.text)).toEqual(["coupon WELCOME10"]);
    await nudge.stop();
  });

  it("retries 5xx answers on a durable timer, then goes on", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin, settings: allowLocal });
    await publish(nudge, hookJourney());
    answers.push({ status: 503 }, { status: 502 }, { status: 200, body: { coupon: "LATE" } });
    await nudge.track({ userId: "u2", event: "signed_up", properties: { plan: "free" } });
    await nudge.drain();
    expect(received).toHaveLength(1);
    expect(channels.calls).toEqual([]);
    await advance(nudge, clock, HOUR);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    expect(channels.calls.map((c) => c.text)).toEqual(["coupon LATE"]);
    await nudge.stop();
  });

  it("a 4xx answer is not retried: the onFailure path is taken", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin, settings: allowLocal });
    await publish(nudge, hookJourney());
    answers.push({ status: 422, body: { error: "bad user" } });
    await nudge.track({ userId: "u3", event: "signed_up" });
    await nudge.drain();
    await advance(nudge, clock, HOUR);
    expect(received).toHaveLength(1);
    expect(channels.calls.map((c) => c.text)).toEqual(["fallback (422)"]);
    await nudge.stop();
  });

  it("private and loopback addresses are refused unless the host allows them", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin });
    await publish(nudge, hookJourney());
    await nudge.track({ userId: "u4", event: "signed_up" });
    await nudge.drain();
    await advance(nudge, clock, HOUR);
    expect(received).toEqual([]);
    expect(channels.calls.map((c) => c.text)).toEqual(["fallback ()"]);
    const [e] = await enrollmentsOf(nudge, "u4");
    expect((e!.context["webhooks"] as Record<string, { error: string }>)["notify"]!.error).toMatch(/non-public address 127\.0\.0\.1/);
    await nudge.stop();
  });

  it("a host name that resolves to a loopback address is refused at connect time", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, hookJourney({ url: url.replace("127.0.0.1", "localhost"), retries: 0 }));
    await nudge.track({ userId: "u5", event: "signed_up" });
    await nudge.drain();
    expect(received).toEqual([]);
    const [e] = await enrollmentsOf(nudge, "u5");
    expect((e!.context["webhooks"] as Record<string, { error: string }>)["notify"]!.error).toMatch(/localhost is the non-public address/);
    await nudge.stop();
  });
});

describe("journeys: webhook after a crash", () => {
  it("a call that went out before the crash is not repeated by the recovered run", async () => {
    const faults = new Faults();
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ stores: faultyStores(faults), channels: channels.plugin, settings: allowLocal });
    await publish(nudge, hookJourney());
    // The call is answered, then the process dies before the enrollment records the answer and moves on.
    faults.arm("enrollments.update:before", (e) => (e as { stepId: string }).stepId === "after");
    await nudge.track({ userId: "u6", event: "signed_up" });
    await nudge.drain();
    expect(faults.fired).toHaveLength(1);
    await advance(nudge, clock, HOUR);
    expect(received).toHaveLength(1);
    const [e] = await enrollmentsOf(nudge, "u6");
    expect(e).toMatchObject({ state: "completed", stepId: "failed" });
    expect((e!.context["webhooks"] as Record<string, { error: string }>)["notify"]!.error).toMatch(/interrupted/);
    await nudge.stop();
  });
});
