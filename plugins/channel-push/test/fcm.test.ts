import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelError, ChannelRejectedError, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { aProfile, sendContext } from "@nudge/core/testkit";
import type { PushContentInput } from "../src/content.js";
import { pushSetup } from "./support/push-harness.js";

describe("FCM HTTP v1 against a fake FCM and token endpoint", () => {
  let s: Awaited<ReturnType<typeof pushSetup>>;
  beforeAll(async () => {
    s = await pushSetup();
  });
  afterAll(() => s.close());

  const send = (token: string, platform: "android" | "ios" | "web", content: PushContentInput) => {
    const person = aProfile("acme", { contacts: { push: [{ token, platform }] } });
    return s.channel.send({ to: token, content: s.channel.contentSchema.parse(content), context: sendContext(person, { now: s.clock.now() }) });
  };

  it("sends an Android message with notification, data, link and the android block", async () => {
    const r = await send("android-1", "android", {
      title: "배송 출발",
      body: "오늘 도착 예정이에요",
      image: "https://cdn.acme.test/box.png",
      link: "acme://orders/42",
      data: { orderId: "42" },
      collapseKey: "order-42",
      threadId: "orders",
      ttlSeconds: 3600,
      priority: "normal",
      android: { channelId: "shipping", title: "배송 출발 (Android)" },
    });
    expect(r.providerMessageId).toMatch(/^projects\/acme-app\/messages\/0:/);
    expect(r.details).toEqual({ devices: [expect.objectContaining({ platform: "android", provider: "fcm", status: "sent", id: r.providerMessageId })] });
    expect(s.fcm.messages.at(-1)).toEqual({
      token: "android-1",
      notification: { title: "배송 출발 (Android)", body: "오늘 도착 예정이에요", image: "https://cdn.acme.test/box.png" },
      data: { orderId: "42", link: "acme://orders/42" },
      android: { collapse_key: "order-42", priority: "NORMAL", ttl: "3600s", notification: { channel_id: "shipping", tag: "orders" } },
    });
    expect(s.fcm.problems).toEqual([]);
  });

  it("sends a web token without subscription keys through FCM's webpush block", async () => {
    await send("web-fcm-1", "web", { title: "hi", body: "there", link: "https://acme.test/sale", ttlSeconds: 60 });
    expect(s.fcm.messages.at(-1)).toMatchObject({ token: "web-fcm-1", webpush: { headers: { TTL: "60", Urgency: "high" }, fcm_options: { link: "https://acme.test/sale" } } });
  });

  it("sends iOS tokens through FCM's apns block when iosVia is fcm", async () => {
    const viaFcm = await pushSetup(undefined, { iosVia: "fcm" });
    try {
      const person = aProfile("acme", { contacts: { push: [{ token: "ios-fcm-1", platform: "ios" }] } });
      const content = viaFcm.channel.contentSchema.parse({ title: "t", body: "b", image: "https://cdn.acme.test/i.png", collapseKey: "c1", threadId: "th", badge: 3, ttlSeconds: 0 });
      await viaFcm.channel.send({ to: "ios-fcm-1", content, context: sendContext(person, { now: viaFcm.clock.now() }) });
      expect(viaFcm.apns.requests).toEqual([]);
      expect(viaFcm.fcm.messages.at(-1)).toEqual({
        token: "ios-fcm-1",
        notification: { title: "t", body: "b", image: "https://cdn.acme.test/i.png" },
        apns: {
          headers: { "apns-priority": "10", "apns-collapse-id": "c1", "apns-expiration": "0" },
          payload: { aps: { "thread-id": "th", badge: 3, "mutable-content": 1 } },
          fcm_options: { image: "https://cdn.acme.test/i.png" },
        },
      });
    } finally {
      await viaFcm.close();
    }
  });

  it("caches the access token and refreshes it before it expires, by the clock", async () => {
    const before = s.fcm.tokenRequests;
    await send("android-2", "android", { body: "one" });
    await send("android-2", "android", { body: "two" });
    expect(s.fcm.tokenRequests).toBe(before); // the token from the first test is still good
    s.clock.advance(50 * 60_000);
    await send("android-2", "android", { body: "three" });
    expect(s.fcm.tokenRequests).toBe(before); // 50 minutes: still more than 5 minutes left
    s.clock.advance(5 * 60_000);
    await send("android-2", "android", { body: "four" });
    expect(s.fcm.tokenRequests).toBe(before + 1); // under 5 minutes left: replaced before it expires
    expect(s.fcm.problems).toEqual([]);
  });

  it("fetches a new token and retries once after a 401", async () => {
    s.fcm.revokeTokens();
    const before = s.fcm.tokenRequests;
    const r = await send("android-3", "android", { body: "after revoke" });
    expect(r.providerMessageId).toBeTruthy();
    expect(s.fcm.tokenRequests).toBe(before + 1);
  });

  it("maps UNREGISTERED and an invalid token to a dead token, a bad payload to a rejection", async () => {
    s.fcm.answerFor("android-dead", "UNREGISTERED");
    const dead = await rejection<RecipientUnreachableError>(send("android-dead", "android", { body: "x" }));
    expect(dead).toBeInstanceOf(RecipientUnreachableError);
    expect(dead.providerCode).toBe("UNREGISTERED");
    expect((dead as ChannelError).invalidContacts).toEqual([{ key: "push:android-dead", reason: "fcm: UNREGISTERED" }]);

    s.fcm.answerFor("android-bad", "INVALID_TOKEN");
    expect(await rejection(send("android-bad", "android", { body: "x" }))).toBeInstanceOf(RecipientUnreachableError);

    s.fcm.failNext("INVALID_PAYLOAD");
    const rejected = await rejection<ChannelRejectedError>(send("android-4", "android", { body: "x" }));
    expect(rejected).toBeInstanceOf(ChannelRejectedError);
    expect((rejected as ChannelError).invalidContacts).toEqual([]);
  });

  it("maps QUOTA_EXCEEDED to a rate limit with FCM's Retry-After", async () => {
    s.fcm.failNext("QUOTA_EXCEEDED");
    const e = await rejection<RateLimitedError>(send("android-5", "android", { body: "x" }));
    expect(e).toBeInstanceOf(RateLimitedError);
    expect(e.retryAfterMs).toBe(30_000);
    expect(e.providerCode).toBe("QUOTA_EXCEEDED");
  });
});
