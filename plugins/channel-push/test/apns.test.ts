import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeProtectedHeader } from "jose";
import { type ChannelError, ChannelRejectedError, ChannelUnavailableError, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { aProfile, sendContext } from "@nudge/core/testkit";
import type { PushContentInput } from "../src/content.js";
import { pushSetup } from "./support/push-harness.js";

const token = (n: number) => n.toString(16).padStart(64, "0");

describe("APNs over HTTP/2 against a fake APNs", () => {
  let s: Awaited<ReturnType<typeof pushSetup>>;
  beforeAll(async () => {
    s = await pushSetup();
  });
  afterAll(() => s.close());

  const send = (device: string, content: PushContentInput, over: Parameters<typeof sendContext>[1] = {}) => {
    const person = aProfile("acme", { contacts: { push: [{ token: device, platform: "ios" }] } });
    return s.channel.send({ to: device, content: s.channel.contentSchema.parse(content), context: sendContext(person, { now: s.clock.now(), ...over }) });
  };

  it("sends an alert with the documented headers and payload, signed with an ES256 provider token", async () => {
    const r = await send(
      token(1),
      { title: "쿠폰 도착", body: "오늘까지 20% 할인", link: "acme://coupons", data: { coupon: "SPRING20" }, collapseKey: "coupon", threadId: "promo", ttlSeconds: 600, badge: 2, sound: "default", ios: { category: "COUPON" } },
      { idempotencyKey: "enr-9:step-2:1:push" },
    );
    const seen = s.apns.requests.at(-1)!;
    expect(s.apns.problems).toEqual([]);
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
    await send(token(1), { title: "쿠폰 도착" }, { idempotencyKey: "enr-9:step-2:1:push" });
    expect(s.apns.requests.at(-1)!.headers["apns-id"]).toBe(r.providerMessageId);
  });

  it("sends data-only content as a background push at priority 5", async () => {
    await send(token(2), { data: { sync: "inbox" }, priority: "high" });
    const seen = s.apns.requests.at(-1)!;
    expect(seen.headers).toMatchObject({ "apns-push-type": "background", "apns-priority": "5" });
    expect(seen.payload).toEqual({ aps: { "content-available": 1 }, sync: "inbox" });
  });

  it("reuses one provider token and replaces it before it is an hour old, never within 20 minutes", async () => {
    await send(token(3), { body: "a" });
    const first = s.apns.requests.at(-1)!;
    s.clock.advance(19 * 60_000);
    await send(token(3), { body: "b" });
    expect(s.apns.requests.at(-1)!.jwt).toBe(first.jwt);
    s.clock.advance(30 * 60_000); // 49 minutes old: still reused
    await send(token(3), { body: "c" });
    expect(s.apns.requests.at(-1)!.jwt).toBe(first.jwt);
    s.clock.advance(2 * 60_000); // 51 minutes: replaced (refresh at 50)
    await send(token(3), { body: "d" });
    const second = s.apns.requests.at(-1)!;
    expect(second.jwt).not.toBe(first.jwt);
    expect(second.iat).toBe(Math.floor(s.clock.now() / 1000));
    s.clock.advance(65 * 60_000); // idle for over an hour: the next request must not carry a stale token
    await send(token(3), { body: "e" });
    expect(s.apns.requests.at(-1)!.iat).toBe(Math.floor(s.clock.now() / 1000));
    expect(new Set(s.apns.requests.slice(-5).map((r) => r.jwt)).size).toBe(3);
  });

  it("maps BadDeviceToken and 410 Unregistered to dead tokens, 429 to a rate limit, 503 to a retry", async () => {
    s.apns.answerFor(token(10), "BadDeviceToken");
    const bad = await rejection<RecipientUnreachableError>(send(token(10), { body: "x" }));
    expect(bad).toBeInstanceOf(RecipientUnreachableError);
    expect((bad as ChannelError).invalidContacts).toEqual([{ key: `push:${token(10)}`, reason: "apns: BadDeviceToken" }]);

    s.apns.answerFor(token(11), "Unregistered");
    expect(await rejection(send(token(11), { body: "x" }))).toBeInstanceOf(RecipientUnreachableError);

    s.apns.failNext("TooManyRequests");
    const limited = await rejection<RateLimitedError>(send(token(12), { body: "x" }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterMs).toBe(12_000);

    s.apns.failNext("ServiceUnavailable");
    expect(await rejection(send(token(12), { body: "x" }))).toBeInstanceOf(ChannelUnavailableError);

    s.apns.failNext("PayloadTooLarge");
    expect(await rejection(send(token(12), { body: "x" }))).toBeInstanceOf(ChannelRejectedError);
  });

  it("refuses a payload over 4 KB in prepare, naming the platform", () => {
    const person = aProfile("acme", { contacts: { push: [{ token: token(20), platform: "ios" }] } });
    const content = s.channel.contentSchema.parse({ title: "big", data: { blob: "x".repeat(4000), more: "y".repeat(400) } });
    expect(() => s.channel.prepare!(content, sendContext(person))).toThrow(/ios|apns payload is \d+ bytes; the limit is 4096/);
  });

  it("opens a new HTTP/2 session after the old one was closed", async () => {
    await send(token(4), { body: "before" });
    await (s.channel as unknown as { close(): Promise<void> }).close(); // what nudge.stop() does
    const r = await send(token(4), { body: "after" });
    expect(r.providerMessageId).toBeTruthy();
  });
});
