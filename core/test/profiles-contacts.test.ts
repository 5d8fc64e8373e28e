import { describe, expect, it } from "vitest";
import { Tokens, ValidationError } from "@nudge/core";
import { PhoneNormalizer } from "../src/engine/profiles/phone-normalizer.js";
import { makeNudge } from "./helpers.js";

describe("profiles: phone numbers to E.164", () => {
  const kr = new PhoneNormalizer("KR");
  it.each([
    ["Korean mobile with dashes", "010-1234-5678", "+821012345678"],
    ["Korean mobile, digits only", "01012345678", "+821012345678"],
    ["Korean mobile with spaces and dots", " 010 1234.5678 ", "+821012345678"],
    ["Korean mobile, international form", "+82 10-1234-5678", "+821012345678"],
    ["Korean mobile, international form with the trunk 0 kept", "+82 010-1234-5678", "+821012345678"],
    ["Seoul landline", "02-312-3456", "+8223123456"],
    ["Gyeonggi landline", "031-123-4567", "+82311234567"],
    ["Korean internet phone (070)", "070-1234-5678", "+827012345678"],
    ["Korean nationwide number (1588)", "1588-1234", "+8215881234"],
    ["United States", "+1 (415) 555-2671", "+14155552671"],
    ["Japanese mobile", "+81 90-1234-5678", "+819012345678"],
    ["United Kingdom landline", "+44 20 7946 0958", "+442079460958"],
  ])("%s: %s -> %s", (_what, raw, e164) => {
    expect(kr.normalize(raw)).toEqual({ ok: true, e164 });
  });

  it.each([
    ["letters", "hello", "is not a phone number"],
    ["too few digits", "123", "is too short to be a phone number"],
    ["a single digit after the country code", "+82 1", "is too short to be a phone number"],
    ["a truncated mobile number", "010-1234", "is not a valid phone number in KR"],
    ["a mobile number with digits to spare", "+82 10 1234 56789 12", "is not a valid phone number in KR"],
    ["far too many digits", "+82 10 1234 5678 9012 3456", "is too long to be a phone number"],
    ["an unknown country code", "+999 1234 5678", "has no country code libphonenumber recognises (write it as +<country code> <number>)"],
    ["a number in no Korean range", "099-1234-5678", "is not a valid phone number in KR"],
  ])("garbage is rejected with a clear reason: %s", (_what, raw, reason) => {
    expect(kr.normalize(raw)).toEqual({ ok: false, reason });
  });

  it("the default region decides numbers without a country code", () => {
    expect(new PhoneNormalizer("US").normalize("(415) 555-2671")).toEqual({ ok: true, e164: "+14155552671" });
    expect(new PhoneNormalizer("US").normalize("010-1234-5678").ok).toBe(false);
  });
});

describe("profiles: identify normalizes contact traits", () => {
  it("lower-cases e-mail, formats the phone, canonicalizes zone and locale; contacts follow", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const a = await nudge.identify({
      userId: "u1",
      traits: { email: "  Minji.Kim@Example.COM ", phone: "010-1234-5678", timezone: "asia/seoul", locale: "ko_kr", name: "민지" },
    });
    await nudge.drain();
    const p = (await nudge.profiles.get(a.profileId))!;
    expect(p.contacts).toEqual({ email: "minji.kim@example.com", phone: "+821012345678" });
    expect(p.traits).toMatchObject({ email: "minji.kim@example.com", phone: "+821012345678", timezone: "Asia/Seoul", locale: "ko-KR", name: "민지" });
    expect(p.timezone).toBe("Asia/Seoul");
    expect(p.locale).toBe("ko-KR");
    // The stored identify event carries the normalized values too: a replay applies the same.
    const [event] = await nudge.resolve(Tokens.EventStore).listByProfile("acme", p.id, { limit: 1 });
    expect(event?.properties).toMatchObject({ traits: { phone: "+821012345678", email: "minji.kim@example.com" } });
    await nudge.stop();
  });

  it("refuses bad contact traits with a ValidationError naming each, before anything is stored", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const attempt = nudge.identify({
      userId: "u-bad",
      traits: { email: "not-an-address", phone: "010-1234", timezone: "KST" },
      traitsOnce: { locale: "!!" },
    });
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toMatchObject({
      code: "NUDGE_VALIDATION",
      issues: [
        { path: "traits.email", message: "is not a valid e-mail address" },
        { path: "traits.phone", message: "is not a valid phone number in KR" },
        { path: "traits.timezone", message: "is not an IANA time zone such as Asia/Seoul" },
        { path: "traitsOnce.locale", message: "is not a BCP 47 locale such as ko-KR" },
      ],
    });
    await expect(nudge.identify({ userId: "u-bad", traits: { phone: 1012345678 } })).rejects.toMatchObject({
      issues: [{ path: "traits.phone", message: "must be a string" }],
    });
    expect(await nudge.resolve(Tokens.ProfileStore).count("acme")).toBe(0);
    expect(await nudge.resolve(Tokens.EventStore).listUnprocessed("acme", 10)).toEqual([]);
    await nudge.stop();
  });

  it("uses the configured default phone region", async () => {
    const { createNudge, silentLogger, FakeClock } = await import("@nudge/core");
    const { storageMemory } = await import("@nudge/storage-memory");
    const nudge = await createNudge({ workspace: "us", plugins: [storageMemory()], logger: silentLogger(), clock: new FakeClock(), settings: { defaultPhoneRegion: "US" } });
    await nudge.start();
    const a = await nudge.identify({ userId: "u", traits: { phone: "(415) 555-2671" } });
    expect((await nudge.profiles.get(a.profileId))?.contacts.phone).toBe("+14155552671");
    await nudge.stop();
    await expect(createNudge({ workspace: "x", plugins: [storageMemory()], settings: { defaultPhoneRegion: "ZZ" } })).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: [expect.objectContaining({ path: "settings.defaultPhoneRegion" })],
    });
  });

  it("merges traits, keeps set-once traits, clears a contact with null, and a new address drops the invalid mark", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const a = await nudge.identify({ userId: "u2", traits: { plan: "free", phone: "01011112222" }, traitsOnce: { firstSource: "ad" } });
    await nudge.identify({ userId: "u2", traits: { plan: "pro" }, traitsOnce: { firstSource: "organic", signupAt: "2026-01-01T00:00:00Z" } });
    await nudge.profiles.invalidateContact(a.profileId, "phone", "bounced");
    let p = (await nudge.profiles.get(a.profileId))!;
    expect(p.traits).toEqual({ plan: "pro", phone: "+821011112222", firstSource: "ad", signupAt: "2026-01-01T00:00:00Z" });
    expect(p.contacts.invalid?.["phone"]).toMatchObject({ reason: "bounced" });
    await nudge.identify({ userId: "u2", traits: { phone: "010-3333-4444", email: "a@b.co" } });
    p = (await nudge.profiles.get(a.profileId))!;
    expect(p.contacts).toEqual({ phone: "+821033334444", email: "a@b.co" });
    await nudge.identify({ userId: "u2", traits: { email: null } });
    p = (await nudge.profiles.get(a.profileId))!;
    expect(p.contacts).toEqual({ phone: "+821033334444" });
    await nudge.stop();
  });
});
