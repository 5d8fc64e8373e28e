import { describe, expect, it } from "vitest";
import { anEnrollment } from "@nudge/core/testkit";
import { Tokens, ValidationError, subscriptionState } from "@nudge/core";
import { makeNudge, publish, welcomeJourney } from "./helpers.js";

describe("profiles: subscriptions and night-time advertising consent", () => {
  it("keeps state per channel and per topic with the time and source of every change", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    const { profileId } = await nudge.identify({ userId: "u1" });
    let p = (await nudge.profiles.get(profileId))!;
    expect(subscriptionState(p, "sms")).toBe("never_asked");
    await nudge.profiles.setSubscription(profileId, { channel: "sms", state: "subscribed", source: "signup-form" });
    clock.advance(60_000);
    await nudge.profiles.setSubscription(profileId, { channel: "sms", topic: "promotions", state: "subscribed", source: "settings" });
    clock.advance(60_000);
    await nudge.profiles.setSubscription(profileId, { channel: "sms", state: "unsubscribed", source: "080-optout" });
    p = (await nudge.profiles.get(profileId))!;
    expect(subscriptionState(p, "sms")).toBe("unsubscribed");
    expect(subscriptionState(p, "sms", "promotions")).toBe("subscribed");
    expect(subscriptionState(p, "email")).toBe("never_asked");
    const t0 = Date.parse("2026-03-02T01:00:00Z");
    expect(p.subscriptions).toEqual([
      { channel: "sms", state: "subscribed", at: t0, source: "signup-form" },
      { channel: "sms", topic: "promotions", state: "subscribed", at: t0 + 60_000, source: "settings" },
      { channel: "sms", state: "unsubscribed", at: t0 + 120_000, source: "080-optout" },
    ]);
    await expect(nudge.profiles.setSubscription(profileId, { channel: "sms", state: "maybe" as never, source: "x" })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: "state" })],
    });
    await expect(nudge.profiles.setSubscription(profileId, { channel: "", state: "subscribed", source: "x" })).rejects.toBeInstanceOf(ValidationError);
    await nudge.stop();
  });

  it("records night-time advertising consent separately, with time and source", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    const { profileId } = await nudge.identify({ userId: "u2" });
    await nudge.profiles.setSubscription(profileId, { channel: "kakao", state: "subscribed", source: "signup" });
    expect((await nudge.profiles.get(profileId))?.nightAdConsent).toBeNull();
    await nudge.profiles.setNightAdConsent(profileId, { granted: true, source: "night-consent-popup" });
    clock.advance(1000);
    const p = await nudge.profiles.setNightAdConsent(profileId, { granted: false, source: "settings" });
    expect(p?.nightAdConsent).toEqual({ granted: false, at: clock.now(), source: "settings" });
    expect(subscriptionState(p!, "kakao")).toBe("subscribed");
    await expect(nudge.profiles.setNightAdConsent(profileId, { granted: "yes" } as never)).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: "granted" }), expect.objectContaining({ path: "source" })]),
    });
    await nudge.stop();
  });
});

describe("profiles: the single customer view", () => {
  it("shows traits, contacts, subscriptions, segments, journeys active and past, recent messages with status", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    await publish(nudge, welcomeJourney);
    await nudge.segments.put({ id: "pro", name: "Pro plan", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    const { profileId } = await nudge.identify({ userId: "u3", traits: { name: "Minji", plan: "pro", email: "MINJI@example.com" } });
    await nudge.profiles.setSubscription(profileId, { channel: "email", state: "subscribed", source: "signup" });
    clock.advance(1000);
    await nudge.profiles.setSubscription(profileId, { channel: "email", state: "unsubscribed", source: "footer-link" });
    await nudge.track({ userId: "u3", event: "signed_up", properties: { plan: "pro" } });
    await nudge.drain();
    await nudge.resolve(Tokens.EnrollmentStore).create(anEnrollment("acme", profileId, { id: "nurture:1", journeyId: "nurture", enteredAt: clock.now() }));

    const view = (await nudge.profiles.view("u3"))!;
    expect(view).toMatchObject({
      id: profileId,
      userId: "u3",
      traits: { name: "Minji", plan: "pro", email: "minji@example.com" },
      contacts: { email: "minji@example.com" },
      subscriptions: [{ channel: "email", topic: null, state: "unsubscribed", source: "footer-link" }],
      segments: [{ id: "pro", name: "Pro plan" }],
    });
    expect(view.subscriptionHistory.map((s) => s.state)).toEqual(["unsubscribed", "subscribed"]);
    expect(view.journeys.active.map((e) => e.journeyId)).toEqual(["nurture"]);
    expect(view.journeys.past).toEqual([expect.objectContaining({ journeyId: "welcome", state: "completed" })]);
    expect(view.recentMessages).toEqual([expect.objectContaining({ journeyId: "welcome", channel: "sandbox", status: "sent", lastError: null })]);
    expect(await nudge.profiles.viewProfile(profileId)).toEqual(view);
    expect(await nudge.profiles.view("nobody")).toBeNull();
    await nudge.stop();
  });
});

describe("profiles: erasure", () => {
  it("removes the profile, events, enrollments and memberships; messages stay only as redacted counts", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await publish(nudge, welcomeJourney);
    await nudge.segments.put({ id: "everyone", condition: { type: "bucket", from: 0, to: 10000 } });
    const { profileId } = await nudge.identify({ userId: "u4", traits: { phone: "010-9876-5432" } });
    await nudge.track({ userId: "u4", event: "signed_up", properties: { plan: "free" } });
    await nudge.drain();
    expect(await nudge.segments.count("everyone")).toBe(1);

    const report = await nudge.profiles.erase(profileId);
    expect(report).toEqual({ profileId, profileFound: true, eventsDeleted: 2, enrollmentsDeleted: 1, messagesRedacted: 1 });
    expect(await nudge.profiles.get(profileId)).toBeNull();
    expect(await nudge.profiles.find({ userId: "u4" })).toBeNull();
    expect(await nudge.resolve(Tokens.EventStore).listByProfile("acme", profileId, { limit: 10 })).toEqual([]);
    expect(await nudge.resolve(Tokens.EnrollmentStore).listByProfile("acme", profileId)).toEqual([]);
    expect(await nudge.segments.count("everyone")).toBe(0);
    const log = await nudge.resolve(Tokens.MessageStore).list("acme", { journeyId: "welcome", limit: 10 });
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ status: "sent", content: null, recipient: null, journeyId: "welcome" });
    // Erasing again finds nothing and fails nothing.
    expect(await nudge.profiles.erase(profileId)).toEqual({ profileId, profileFound: false, eventsDeleted: 0, enrollmentsDeleted: 0, messagesRedacted: 0 });
    await nudge.drain();
    expect(await nudge.segments.count("everyone")).toBe(0);
    await nudge.stop();
  });
});
