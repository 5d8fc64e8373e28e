import { describe, expect, it } from "vitest";
import { storageMemory } from "@nudge/storage-memory";
import { PluginConfigError, sandboxChannel, StoppedError, Tokens } from "@nudge/core";
import { gatedChannel, makeNudge, publish, welcomeJourney } from "./helpers.js";

describe("foundation: event -> journey -> sandbox message", () => {
  it("track(signed_up) sends one welcome message with the exact rendered text", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await publish(nudge, welcomeJourney);
    await nudge.identify({ userId: "u1", traits: { name: "Minji" } });
    await nudge.track({ userId: "u1", event: "signed_up", properties: { plan: "pro" } });
    await nudge.drain();

    const sent = nudge.sandbox.list();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: "sandbox", to: "u1", content: { text: "Welcome, Minji! Your plan: pro." } });
    const log = await nudge.resolve(Tokens.MessageStore).list("acme", { limit: 10 });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ status: "sent", journeyId: "welcome", stepId: "hello", channel: "sandbox" });
    expect(log.items[0]!.attempts).toEqual([expect.objectContaining({ status: "sent", provider: "sandbox", attempt: 1 })]);
    await nudge.stop();
  });

  it("the default filter fills a missing trait", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await publish(nudge, welcomeJourney);
    await nudge.track({ userId: "u2", event: "signed_up", properties: { plan: "free" } });
    await nudge.drain();
    expect(nudge.sandbox.list()[0]?.content).toEqual({ text: "Welcome, friend! Your plan: free." });
    await nudge.stop();
  });

  it("the same messageId tracked twice gives one event and one message", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await publish(nudge, welcomeJourney);
    const first = await nudge.track({ userId: "u3", event: "signed_up", messageId: "m-1", properties: { plan: "pro" } });
    const second = await nudge.track({ userId: "u3", event: "signed_up", messageId: "m-1", properties: { plan: "pro" } });
    await nudge.drain();
    expect(first.accepted).toBe(true);
    expect(second).toEqual({ accepted: false, eventId: first.eventId, profileId: first.profileId });
    const events = await nudge.resolve(Tokens.EventStore).listByProfile("acme", first.profileId, { limit: 10 });
    expect(events).toHaveLength(1);
    expect(nudge.sandbox.list()).toHaveLength(1);
    await nudge.stop();
  });

  it("an event that matches no journey is stored and marked processed", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const a = await nudge.track({ anonymousId: "anon-1", event: "page_viewed" });
    await nudge.drain();
    const e = await nudge.resolve(Tokens.EventStore).getByMessageId("acme", (await nudge.resolve(Tokens.EventStore).listByProfile("acme", a.profileId, { limit: 1 }))[0]!.messageId);
    expect(e?.processedAt).not.toBeNull();
    expect(nudge.sandbox.list()).toHaveLength(0);
    await nudge.stop();
  });

  it("rejects bad track input with a ValidationError naming the field", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await expect(nudge.track({ event: "x" })).rejects.toMatchObject({ code: "NUDGE_VALIDATION", issues: [{ path: "userId", message: "userId or anonymousId is required" }] });
    await expect(nudge.track({ userId: "u", event: "" })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "event" })] });
    await expect(nudge.track({ userId: "u", event: "x", timestamp: "yesterday" })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "timestamp" })] });
    await nudge.stop();
  });
});

describe("foundation: plugin contract and assembly", () => {
  it("rejects an invalid plugin config naming the plugin and the field", async () => {
    const attempt = makeNudge({ plugins: [storageMemory(), sandboxChannel({ addressFrom: "fax" } as never)] });
    await expect(attempt).rejects.toBeInstanceOf(PluginConfigError);
    await expect(attempt).rejects.toMatchObject({
      pluginId: "channel-sandbox",
      issues: [expect.objectContaining({ path: "addressFrom" })],
      message: expect.stringMatching(/channel-sandbox.*addressFrom/),
    });
  });

  it("fails at boot on a duplicate plugin id, a port claimed twice, and missing storage", async () => {
    await expect(makeNudge({ plugins: [storageMemory(), storageMemory()] })).rejects.toMatchObject({ code: "NUDGE_DUPLICATE_PLUGIN" });
    await expect(makeNudge({ plugins: [sandboxChannel()] })).rejects.toMatchObject({ code: "NUDGE_MISSING_PORT", message: expect.stringContaining("ProfileStore") });
  });

  it("two Nudge instances in one process do not see each other's data or channels", async () => {
    const gated = gatedChannel("other");
    gated.release();
    const a = (await makeNudge({ workspace: "brand-a", plugins: [storageMemory(), sandboxChannel()] })).nudge;
    const b = (await makeNudge({ workspace: "brand-b", plugins: [storageMemory(), gated.plugin] })).nudge;
    await a.start();
    await b.start();
    await publish(a, welcomeJourney);
    // The same journey cannot even be defined on b: its channel does not exist there.
    await expect(b.journeys.put(welcomeJourney)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "steps[0](hello).channel" })] });
    await a.track({ userId: "same-user", event: "signed_up", properties: { plan: "a" } });
    await b.track({ userId: "same-user", event: "signed_up", properties: { plan: "b" } });
    await Promise.all([a.drain(), b.drain()]);
    expect(a.sandbox.list()).toHaveLength(1);
    expect(b.sandbox.list()).toHaveLength(0);
    expect(gated.started).toEqual([]);
    expect(a.resolve(Tokens.ProfileStore)).not.toBe(b.resolve(Tokens.ProfileStore));
    expect(await b.resolve(Tokens.JourneyStore).getHead("brand-b", "welcome")).toBeNull();
    const profileA = await a.resolve(Tokens.ProfileStore).getByUserId("brand-a", "same-user");
    const profileB = await b.resolve(Tokens.ProfileStore).getByUserId("brand-b", "same-user");
    expect(profileA?.id).not.toBe(profileB?.id);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("stop() waits for an in-flight send, a second stop() is a no-op, and later calls are refused", async () => {
    const gated = gatedChannel();
    const { nudge } = await makeNudge({ plugins: [storageMemory(), gated.plugin] });
    await nudge.start();
    await publish(nudge, { ...welcomeJourney, steps: [{ id: "hello", type: "send", channel: "gated", content: { text: "hi" } }] });
    await nudge.track({ userId: "u-stop", event: "signed_up" });
    while (gated.started.length === 0) await new Promise((r) => setImmediate(r));

    let stopped = false;
    const stopping = nudge.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false); // the send is still in flight
    await expect(nudge.track({ userId: "u-stop", event: "late" })).rejects.toBeInstanceOf(StoppedError);
    gated.release();
    await stopping;
    expect(stopped).toBe(true);
    await nudge.stop();
    const messages = await nudge.resolve(Tokens.MessageStore).list("acme", { limit: 10 });
    expect(messages.items.map((m) => m.status)).toEqual(["sent"]);
  });
});
