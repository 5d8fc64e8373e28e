import { describe, expect, it } from "vitest";
import { aMessage, anEnrollment } from "@nudge/core/testkit";
import { Tokens, ValidationError, type Nudge } from "@nudge/core";
import { makeNudge } from "./helpers.js";

async function eventNames(nudge: Nudge, profileId: string): Promise<string[]> {
  const events = await nudge.resolve(Tokens.EventStore).listByProfile("acme", profileId, { limit: 100 });
  return events.map((e) => e.name).sort();
}

describe("profiles: anonymous to known", () => {
  it("identify links an anonymous visitor to a new userId: same profile, every event kept", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    const first = await nudge.track({ anonymousId: "anon-1", event: "page_viewed" });
    clock.advance(1000);
    await nudge.track({ anonymousId: "anon-1", event: "added_to_cart" });
    const known = await nudge.identify({ userId: "u1", anonymousId: "anon-1", traits: { name: "민지" } });
    await nudge.drain();
    expect(known.profileId).toBe(first.profileId);
    expect(await eventNames(nudge, known.profileId)).toEqual(["added_to_cart", "identify", "page_viewed"]);
    expect((await nudge.profiles.find({ userId: "u1" }))?.anonymousIds).toEqual(["anon-1"]);
    await nudge.stop();
  });

  it("identify merges an anonymous profile into the existing known one: every event kept, the anonymous profile gone", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    const anon = await nudge.track({ anonymousId: "anon-2", event: "page_viewed" });
    await nudge.track({ anonymousId: "anon-2", event: "page_viewed" });
    await nudge.identify({ anonymousId: "anon-2", traits: { coupon: "WELCOME", plan: "free" } });
    const known = await nudge.identify({ userId: "u2", traits: { plan: "pro" } });
    await nudge.track({ userId: "u2", event: "login" });
    clock.advance(1000);
    const linked = await nudge.identify({ userId: "u2", anonymousId: "anon-2" });
    await nudge.drain();

    expect(linked.profileId).toBe(known.profileId);
    expect(await nudge.profiles.get(anon.profileId)).toBeNull();
    expect(await eventNames(nudge, known.profileId)).toEqual(["identify", "identify", "identify", "login", "page_viewed", "page_viewed"]);
    expect(await eventNames(nudge, anon.profileId)).toEqual([]);
    const merged = (await nudge.profiles.find({ anonymousId: "anon-2" }))!;
    expect(merged.id).toBe(known.profileId);
    // The known profile's traits win; the anonymous one fills what it lacked.
    expect(merged.traits).toEqual({ plan: "pro", coupon: "WELCOME" });
    await nudge.stop();
  });

  it("never merges two known people implicitly: an anonymousId already linked to someone else stays theirs", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const a = await nudge.identify({ userId: "ua", anonymousId: "shared-device" });
    const b = await nudge.identify({ userId: "ub", anonymousId: "shared-device" });
    await nudge.drain();
    expect(a.profileId).not.toBe(b.profileId);
    expect((await nudge.profiles.find({ anonymousId: "shared-device" }))?.id).toBe(a.profileId);
    expect(await eventNames(nudge, b.profileId)).toEqual(["identify"]);
    await nudge.stop();
  });
});

describe("profiles: explicit merge (alias)", () => {
  it("merges two known profiles keeping both histories; the previous userId keeps reaching the person", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    const old = await nudge.identify({ userId: "old-id", traits: { name: "Minji", city: "Busan" } });
    await nudge.track({ userId: "old-id", event: "purchase", properties: { amount: 1000 } });
    await nudge.profiles.setSubscription(old.profileId, { channel: "sms", state: "subscribed", source: "signup" });
    const fresh = await nudge.identify({ userId: "new-id", traits: { city: "Seoul" } });
    clock.advance(1000);
    await nudge.profiles.setSubscription(fresh.profileId, { channel: "email", state: "unsubscribed", source: "footer" });
    await nudge.track({ userId: "new-id", event: "login" });
    await nudge.drain();
    const messages = nudge.resolve(Tokens.MessageStore);
    const enrollments = nudge.resolve(Tokens.EnrollmentStore);
    await messages.insert(aMessage("acme", old.profileId, { id: "m-old" }));
    await enrollments.create(anEnrollment("acme", old.profileId, { id: "e-old" }));

    const merged = await nudge.profiles.alias({ userId: "new-id", previousId: "old-id" });
    await nudge.drain();
    expect(merged.id).toBe(fresh.profileId);
    expect(await nudge.profiles.get(old.profileId)).toBeNull();
    expect(await eventNames(nudge, merged.id)).toEqual(["identify", "identify", "login", "purchase"]);
    expect((await messages.get("acme", "m-old"))?.profileId).toBe(merged.id);
    expect((await enrollments.get("acme", "e-old"))?.profileId).toBe(merged.id);
    expect(merged.traits).toEqual({ name: "Minji", city: "Seoul" });
    expect(merged.subscriptions.map((s) => [s.channel, s.state, s.source])).toEqual([
      ["sms", "subscribed", "signup"],
      ["email", "unsubscribed", "footer"],
    ]);
    // Later calls with the previous userId reach the merged person.
    const later = await nudge.track({ userId: "old-id", event: "login" });
    expect(later.profileId).toBe(merged.id);
    expect((await nudge.profiles.find({ userId: "old-id" }))?.id).toBe(merged.id);
    await nudge.stop();
  });

  it("an unknown previous id becomes an alias of the person; a person without the new userId takes it", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const p = await nudge.profiles.alias({ userId: "u-new", previousId: "crm-123" });
    expect(p).toMatchObject({ userId: "u-new", anonymousIds: ["crm-123"] });
    expect((await nudge.track({ anonymousId: "crm-123", event: "x" })).profileId).toBe(p.id);

    const solo = await nudge.identify({ userId: "email:minji@example.com" });
    const renamed = await nudge.profiles.alias({ userId: "u-777", previousId: "email:minji@example.com" });
    expect(renamed).toMatchObject({ id: solo.profileId, userId: "u-777", anonymousIds: ["email:minji@example.com"] });
    expect((await nudge.track({ userId: "email:minji@example.com", event: "y" })).profileId).toBe(solo.profileId);
    // Aliasing twice is a no-op.
    expect((await nudge.profiles.alias({ userId: "u-777", previousId: "email:minji@example.com" })).id).toBe(solo.profileId);
    await nudge.stop();
  });

  it("validates alias input naming the field", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await expect(nudge.profiles.alias({ userId: "", previousId: "x" })).rejects.toBeInstanceOf(ValidationError);
    await expect(nudge.profiles.alias({ userId: "a", previousId: "a" })).rejects.toMatchObject({ issues: [{ path: "previousId", message: "must differ from userId" }] });
    await expect(nudge.profiles.alias({ userId: "a" } as never)).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "previousId" })] });
    await nudge.stop();
  });
});
