import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeProtectedHeader } from "jose";
import { type ChannelError, ChannelRejectedError, ChannelUnavailableError, issuesFromZod, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import { apns, ApnsConfig } from "../src/index.js";
import { apnsConfig, apnsSetup } from "./support/apns-setup.js";
import { closedUrl } from "./support/push-call.js";

const token = (n: number) => n.toString(16).padStart(64, "0");

describe("APNs over HTTP/2 against a fake APNs", () => {
  let s: Awaited<ReturnType<typeof apnsSetup>>;
  beforeAll(async () => {
    s = await apnsSetup();
  });
  afterAll(() => s.close());

  it("declares itself a push provider for iOS device tokens, with no idempotency key", () => {
    expect(s.provider).toMatchObject({ id: "apns", channel: "push", idempotency: "none", platforms: ["ios"] });
    expect(s.provider.accepts!({ token: token(1), platform: "ios" })).toBe(true);
    // A Firebase registration token is not an APNs device token (hexadecimal bytes): it is left to FCM.
    expect(s.provider.accepts!({ token: "fcm-token:APA91bH-example", platform: "ios" })).toBe(false);
  });

  it("sends an alert with the documented headers and payload, signed with an ES256 provider token", async () => {
    const r = await s.send(
      token(1),
      { title: "쿠폰 도착", body: "오늘까지 20% 할인", link: "acme://coupons", data: { coupon: "SPRING20" }, collapseKey: "coupon", threadId: "promo", ttlSeconds: 600, badge: 2, sound: "default", ios: { category: "COUPON" } },
      { idempotencyKey: "enr-9:step-2:1:push" },
    );
    const seen = s.fake.requests.at(-1)!;
    expect(s.fake.problems).toEqual([]);
    expect(seen.token).toBe(token(1));
    expect(seen.headers).toMatchObject({
      "apns-topic": "com.acme.app",
      "apns-push-type": "alert",
      "apns-priority": "10",
      "apns-expiration": String(Math.floor(s.clock.now() / 1000) + 600),
      "apns-collapse-id": "coupon",
    });
    expect(seen.payload).toEqual({
      aps: { alert: { title: "쿠폰 도착", body: "오늘까지 20% 할인" }, badge: 2, sound: "default", "thread-id": "promo", category: "COUPON" },
      coupon: "SPRING20",
      link: "acme://coupons",
    });
    expect(decodeProtectedHeader(seen.jwt)).toEqual({ alg: "ES256", kid: "KEY1234567" });
    // apns-id is derived from the idempotency key: a retry of this notification carries the same id.
    expect(r.providerMessageId).toBe(seen.headers["apns-id"]);
    await s.send(token(1), { title: "쿠폰 도착" }, { idempotencyKey: "enr-9:step-2:1:push" });
    expect(s.fake.requests.at(-1)!.headers["apns-id"]).toBe(r.providerMessageId);
  });

  it("sends data-only content as a background push at priority 5", async () => {
    await s.send(token(2), { data: { sync: "inbox" }, priority: "high" });
    const seen = s.fake.requests.at(-1)!;
    expect(seen.headers).toMatchObject({ "apns-push-type": "background", "apns-priority": "5" });
    expect(seen.payload).toEqual({ aps: { "content-available": 1 }, sync: "inbox" });
  });

  it("reuses one provider token and replaces it before it is an hour old, never within 20 minutes", async () => {
    await s.send(token(3), { body: "a" });
    const first = s.fake.requests.at(-1)!;
    s.clock.advance(19 * 60_000);
    await s.send(token(3), { body: "b" });
    expect(s.fake.requests.at(-1)!.jwt).toBe(first.jwt);
    s.clock.advance(30 * 60_000); // 49 minutes old: still reused
    await s.send(token(3), { body: "c" });
    expect(s.fake.requests.at(-1)!.jwt).toBe(first.jwt);
    s.clock.advance(2 * 60_000); // 51 minutes: replaced (refresh at 50)
    await s.send(token(3), { body: "d" });
    const second = s.fake.requests.at(-1)!;
    expect(second.jwt).not.toBe(first.jwt);
    expect(second.iat).toBe(Math.floor(s.clock.now() / 1000));
    s.clock.advance(65 * 60_000); // idle for over an hour: the next request must not carry a stale token
    await s.send(token(3), { body: "e" });
    expect(s.fake.requests.at(-1)!.iat).toBe(Math.floor(s.clock.now() / 1000));
    expect(new Set(s.fake.requests.slice(-5).map((r) => r.jwt)).size).toBe(3);
  });

  it("maps BadDeviceToken and 410 Unregistered to dead tokens, 429 to a rate limit, 503 to a retry", async () => {
    s.fake.answerFor(token(10), "BadDeviceToken");
    const bad = await rejection<RecipientUnreachableError>(s.send(token(10), { body: "x" }));
    expect(bad).toBeInstanceOf(RecipientUnreachableError);
    expect((bad as ChannelError).invalidContacts).toEqual([{ key: `push:${token(10)}`, reason: "BadDeviceToken" }]);

    s.fake.answerFor(token(11), "Unregistered");
    expect(await rejection(s.send(token(11), { body: "x" }))).toBeInstanceOf(RecipientUnreachableError);

    s.fake.failNext("TooManyRequests");
    const limited = await rejection<RateLimitedError>(s.send(token(12), { body: "x" }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterMs).toBe(12_000);
    expect(limited.notSent).toBe(true);

    s.fake.failNext("ServiceUnavailable");
    const unavailable = await rejection<ChannelUnavailableError>(s.send(token(12), { body: "x" }));
    expect(unavailable).toBeInstanceOf(ChannelUnavailableError);
    expect(unavailable.notSent).toBe(false); // APNs may have acted: never tried elsewhere

    s.fake.failNext("PayloadTooLarge");
    expect(await rejection(s.send(token(12), { body: "x" }))).toBeInstanceOf(ChannelRejectedError);
  });

  it("measures a payload over 4 KB as APNs counts it, for the channel's check", () => {
    const size = s.provider.payloadSize!(s.call(token(20), { title: "big", data: { blob: "x".repeat(4000), more: "y".repeat(400) } }));
    expect(size.limit).toBe(4096);
    expect(size.bytes).toBeGreaterThan(4096);
    expect(s.provider.payloadSize!(s.call(token(20), { title: "small" })).bytes).toBeLessThan(100);
  });

  it("opens a new HTTP/2 session after the old one was closed", async () => {
    await s.send(token(4), { body: "before" });
    await s.started.close(); // what nudge.stop() does
    const r = await s.send(token(4), { body: "after" });
    expect(r.providerMessageId).toBeTruthy();
  });
});

describe("APNs when nothing listens", () => {
  it("reports the notification as not sent, so the next provider may take it", async () => {
    const s = await apnsSetup();
    const offline = await startProviderPlugin(apns(apnsConfig(s.fake, { baseUrl: await closedUrl() })), { clock: s.clock });
    try {
      const e = await rejection<ChannelUnavailableError>(offline.provider.send(s.call(token(30), { body: "x" })));
      expect(e).toBeInstanceOf(ChannelUnavailableError);
      expect(e.providerCode).toBe("ECONNREFUSED");
      expect(e.notSent).toBe(true);
    } finally {
      await offline.close();
      await s.close();
    }
  });
});

describe("APNs configuration", () => {
  const issues = (config: unknown) => {
    const r = ApnsConfig.safeParse(config);
    return r.success ? [] : issuesFromZod(r.error);
  };

  it("refuses a bad config, naming the field", () => {
    expect(issues({ teamId: "short", keyId: "KEY1234567", privateKey: "x", topic: "a" })).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "teamId" }), expect.objectContaining({ path: "privateKey" })]),
    );
    expect(issues({ teamId: "ABCDE12345", keyId: "KEY1234567", privateKey: "-----BEGIN PRIVATE KEY-----", topic: "a", tokenRefreshMinutes: 60 })).toEqual([
      expect.objectContaining({ path: "tokenRefreshMinutes" }),
    ]);
  });

  it("fails at start when the .p8 key cannot be imported", async () => {
    const bad = apns({ teamId: "ABCDE12345", keyId: "KEY1234567", privateKey: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", topic: "com.acme.app" });
    await expect(startProviderPlugin(bad)).rejects.toThrow();
  });
});
