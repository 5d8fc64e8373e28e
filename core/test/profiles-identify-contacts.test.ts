import { afterEach, describe, expect, it } from "vitest";
import { Tokens, ValidationError, type Nudge } from "@nudge/core";
import { makeNudge } from "./helpers.js";

/** identify's `contacts`: contact points and channel facts (Kakao channel friendship), validated and stored. */

let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

async function started(): Promise<Nudge> {
  nudge = (await makeNudge()).nudge;
  await nudge.start();
  return nudge;
}

const profileOf = async (n: Nudge, userId: string) => (await n.resolve(Tokens.ProfileStore).getByUserId("acme", userId))!;

async function issuesOf(call: Promise<unknown>): Promise<string[]> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => `${i.path}: ${i.message}`);
}

describe("identify: contacts", () => {
  it("sets contact points (normalized) and the Kakao channel friendship, without making them traits", async () => {
    const n = await started();
    // docs/profiles.md, verbatim.
    await n.identify({
      userId: "u-123",
      traits: { name: "김민지" },
      contacts: { email: "Minji@Example.com", phone: "010-1234-5678", kakao: { channelFriend: false } },
    });
    const p = await profileOf(n, "u-123");
    expect(p.contacts).toEqual({ email: "minji@example.com", phone: "+821012345678", kakao: { channelFriend: false } });
    expect(p.traits).toEqual({ name: "김민지" });
    // The stored identify event holds what it set, normalized.
    const [event] = await n.resolve(Tokens.EventStore).listByProfile("acme", p.id, { limit: 5 });
    expect(event?.properties).toMatchObject({ contacts: { email: "minji@example.com", phone: "+821012345678", kakao: { channelFriend: false } } });
  });

  it("changes only the facts it names; null clears one; contacts win over a contact trait of the same call", async () => {
    const n = await started();
    await n.identify({ userId: "u1", traits: { phone: "010-1111-2222" }, contacts: { kakao: { channelFriend: true } } });
    await n.identify({ userId: "u1", contacts: { email: "a@example.com" } });
    expect((await profileOf(n, "u1")).contacts).toEqual({ phone: "+821011112222", email: "a@example.com", kakao: { channelFriend: true } });
    await n.identify({ userId: "u1", traits: { phone: "010-1111-2222" }, contacts: { phone: "010-3333-4444", kakao: { channelFriend: null } } });
    expect((await profileOf(n, "u1")).contacts).toEqual({ phone: "+821033334444", email: "a@example.com" });
    await n.identify({ userId: "u1", contacts: { email: null } });
    expect((await profileOf(n, "u1")).contacts).toEqual({ phone: "+821033334444" });
  });

  it("a new address drops the invalid mark a provider put on the old one", async () => {
    const n = await started();
    await n.identify({ userId: "u1", contacts: { phone: "010-1111-2222" } });
    const p = await profileOf(n, "u1");
    await n.profiles.invalidateContact(p.id, "phone", "hard bounce");
    await n.identify({ userId: "u1", contacts: { phone: "010-3333-4444" } });
    expect((await profileOf(n, "u1")).contacts).toEqual({ phone: "+821033334444" });
  });

  it("bad facts are refused naming the field, and nothing is stored", async () => {
    const n = await started();
    const bad = (contacts: unknown) => issuesOf(n.identify({ userId: "u1", contacts } as never));
    expect(await bad({ kakao: { channelFriend: "no" } })).toEqual([expect.stringMatching(/^contacts\.kakao\.channelFriend: .*boolean/)]);
    expect(await bad({ phone: "not a phone" })).toEqual(["contacts.phone: is not a phone number"]);
    expect(await bad({ email: "nobody" })).toEqual(["contacts.email: is not a valid e-mail address"]);
    expect(await bad({ kakao: { friend: true } })).toEqual([expect.stringMatching(/^contacts\.kakao: .*friend/)]);
    expect(await bad({ fax: "02-123-4567" })).toEqual([expect.stringMatching(/^contacts: .*fax/)]);
    expect(await n.resolve(Tokens.ProfileStore).getByUserId("acme", "u1")).toBeNull();
  });

  it("batch: identify items set contacts; a bad one refuses the batch naming it by index", async () => {
    const n = await started();
    await n.batch([
      { type: "identify", userId: "u1", contacts: { phone: "010-1234-5678", kakao: { channelFriend: false } } },
      { type: "track", userId: "u1", event: "viewed" },
    ]);
    expect((await profileOf(n, "u1")).contacts).toEqual({ phone: "+821012345678", kakao: { channelFriend: false } });
    const items = [{ type: "track", userId: "u2", event: "viewed" }, { type: "identify", userId: "u2", contacts: { kakao: { channelFriend: 0 } } }];
    expect(await issuesOf(n.batch(items as never))).toEqual([expect.stringMatching(/^\[1\]\.contacts\.kakao\.channelFriend: /)]);
  });
});
