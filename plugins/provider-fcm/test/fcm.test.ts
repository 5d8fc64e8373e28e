import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelError, ChannelRejectedError, ChannelUnavailableError, issuesFromZod, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import { fcm, FcmConfig } from "../src/index.js";
import { fcmConfig, fcmSetup } from "./support/fcm-setup.js";
import { closedUrl } from "./support/push-call.js";

describe("FCM HTTP v1 against a fake FCM and token endpoint", () => {
  let s: Awaited<ReturnType<typeof fcmSetup>>;
  beforeAll(async () => {
    s = await fcmSetup();
  });
  afterAll(() => s.close());

  it("declares itself a push provider for Android, iOS and web registration tokens, with no idempotency key", () => {
    expect(s.provider).toMatchObject({ id: "fcm", channel: "push", idempotency: "none", platforms: ["android", "ios", "web"] });
    expect(s.provider.accepts!({ token: "web-fcm-1", platform: "web" })).toBe(true);
    // A Web Push subscription (endpoint and keys) belongs to a push service, not to FCM.
    expect(s.provider.accepts!({ token: "https://push.example/sub/1", platform: "web", keys: { p256dh: "p", auth: "a" } })).toBe(false);
    // An iOS token from the Firebase SDK is FCM's; hexadecimal bytes are an APNs device token, which FCM cannot use.
    expect(s.provider.accepts!({ token: "ios-fcm-1:APA91bH-example", platform: "ios" })).toBe(true);
    expect(s.provider.accepts!({ token: "ab".repeat(32), platform: "ios" })).toBe(false);
  });

  it("sends an Android message with notification, data, link and the android block", async () => {
    const r = await s.send("android-1", "android", {
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
    expect(r.status).toBe("sent");
    expect(s.fake.messages.at(-1)).toEqual({
      token: "android-1",
      notification: { title: "배송 출발 (Android)", body: "오늘 도착 예정이에요", image: "https://cdn.acme.test/box.png" },
      data: { orderId: "42", link: "acme://orders/42" },
      android: { collapse_key: "order-42", priority: "NORMAL", ttl: "3600s", notification: { channel_id: "shipping", tag: "orders" } },
    });
    expect(s.fake.problems).toEqual([]);
  });

  it("sends a web token without subscription keys through FCM's webpush block", async () => {
    await s.send("web-fcm-1", "web", { title: "hi", body: "there", link: "https://acme.test/sale", ttlSeconds: 60 });
    expect(s.fake.messages.at(-1)).toMatchObject({ token: "web-fcm-1", webpush: { headers: { TTL: "60", Urgency: "high" }, fcm_options: { link: "https://acme.test/sale" } } });
  });

  it("sends an iOS token (from the Firebase SDK) through FCM's apns block", async () => {
    await s.send("ios-fcm-1", "ios", { title: "t", body: "b", image: "https://cdn.acme.test/i.png", collapseKey: "c1", threadId: "th", badge: 3, ttlSeconds: 0 });
    expect(s.fake.messages.at(-1)).toEqual({
      token: "ios-fcm-1",
      notification: { title: "t", body: "b", image: "https://cdn.acme.test/i.png" },
      apns: {
        headers: { "apns-priority": "10", "apns-collapse-id": "c1", "apns-expiration": "0" },
        payload: { aps: { "thread-id": "th", badge: 3, "mutable-content": 1 } },
        fcm_options: { image: "https://cdn.acme.test/i.png" },
      },
    });
  });

  it("caches the access token and refreshes it before it expires, by the clock", async () => {
    await s.send("android-2", "android", { body: "zero" }); // whatever came before, a token is cached now
    const before = s.fake.tokenRequests;
    await s.send("android-2", "android", { body: "one" });
    await s.send("android-2", "android", { body: "two" });
    expect(s.fake.tokenRequests).toBe(before);
    s.clock.advance(50 * 60_000);
    await s.send("android-2", "android", { body: "three" });
    expect(s.fake.tokenRequests).toBe(before); // 50 minutes: still more than 5 minutes left
    s.clock.advance(5 * 60_000);
    await s.send("android-2", "android", { body: "four" });
    expect(s.fake.tokenRequests).toBe(before + 1); // under 5 minutes left: replaced before it expires
    expect(s.fake.problems).toEqual([]);
  });

  it("fetches a new token and retries once after a 401", async () => {
    s.fake.revokeTokens();
    const before = s.fake.tokenRequests;
    const r = await s.send("android-3", "android", { body: "after revoke" });
    expect(r.providerMessageId).toBeTruthy();
    expect(s.fake.tokenRequests).toBe(before + 1);
  });

  it("maps UNREGISTERED and an invalid token to a dead token, a bad payload to a rejection", async () => {
    s.fake.answerFor("android-dead", "UNREGISTERED");
    const dead = await rejection<RecipientUnreachableError>(s.send("android-dead", "android", { body: "x" }));
    expect(dead).toBeInstanceOf(RecipientUnreachableError);
    expect(dead.providerCode).toBe("UNREGISTERED");
    expect((dead as ChannelError).invalidContacts).toEqual([{ key: "push:android-dead", reason: "UNREGISTERED" }]);

    s.fake.answerFor("android-bad", "INVALID_TOKEN");
    expect(await rejection(s.send("android-bad", "android", { body: "x" }))).toBeInstanceOf(RecipientUnreachableError);

    s.fake.failNext("INVALID_PAYLOAD");
    const rejected = await rejection<ChannelRejectedError>(s.send("android-4", "android", { body: "x" }));
    expect(rejected).toBeInstanceOf(ChannelRejectedError);
    expect((rejected as ChannelError).invalidContacts).toEqual([]);
    expect((rejected as ChannelError).notSent).toBe(false);
  });

  it("maps QUOTA_EXCEEDED to a rate limit with FCM's Retry-After, which the next provider may take", async () => {
    s.fake.failNext("QUOTA_EXCEEDED");
    const e = await rejection<RateLimitedError>(s.send("android-5", "android", { body: "x" }));
    expect(e).toBeInstanceOf(RateLimitedError);
    expect(e.retryAfterMs).toBe(30_000);
    expect(e.providerCode).toBe("QUOTA_EXCEEDED");
    expect(e.notSent).toBe(true);
  });

  it("measures the message as FCM counts it, for the channel's 4 KB check", () => {
    const small = s.provider.payloadSize!(s.call("android-6", "android", { title: "hi" }));
    expect(small).toMatchObject({ limit: 4096 });
    expect(small.bytes).toBeLessThan(200);
    const big = s.provider.payloadSize!(s.call("android-6", "android", { title: "big", data: { blob: "x".repeat(4000), more: "y".repeat(400) } }));
    expect(big.bytes).toBeGreaterThan(4096);
  });
});

describe("FCM when the token endpoint cannot be reached", () => {
  it("reports the message as not sent, so the next provider may take it", async () => {
    const s = await fcmSetup();
    const offline = await startProviderPlugin(fcm(fcmConfig(s.fake, { tokenUrl: `${await closedUrl()}/token` })), { clock: s.clock });
    try {
      const e = await rejection<ChannelUnavailableError>(offline.provider.send(s.call("android-7", "android", { body: "x" })));
      expect(e).toBeInstanceOf(ChannelUnavailableError);
      expect(e.providerCode).toBe("OAUTH_NETWORK");
      expect(e.notSent).toBe(true);
      expect(s.fake.messages).toEqual([]);
    } finally {
      await offline.close();
      await s.close();
    }
  });
});

describe("FCM configuration", () => {
  const issues = (config: unknown) => {
    const r = FcmConfig.safeParse(config);
    return r.success ? [] : issuesFromZod(r.error);
  };
  const account = { client_email: "nudge@acme-app.iam.gserviceaccount.com", private_key: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----" };

  it("refuses a bad config, naming the field", () => {
    expect(issues({})).toEqual([expect.objectContaining({ path: "serviceAccount" })]);
    expect(issues({ serviceAccount: { ...account, client_email: "nobody", private_key: "x" } })).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "serviceAccount.client_email" }), expect.objectContaining({ path: "serviceAccount.private_key" })]),
    );
    expect(issues({ serviceAccount: account })).toEqual([expect.objectContaining({ path: "projectId" })]);
    expect(issues({ serviceAccount: account, projectId: "acme-app", platforms: ["windows"] })).toEqual([expect.objectContaining({ path: "platforms[0]" })]);
    expect(issues({ serviceAccount: { ...account, project_id: "acme-app" } })).toEqual([]);
  });

  it("narrows the platforms it serves when told", async () => {
    const s = await fcmSetup(undefined, { platforms: ["android"] });
    expect(s.provider.platforms).toEqual(["android"]);
    await s.close();
  });

  it("fails at start when the service account's key cannot be imported", async () => {
    await expect(startProviderPlugin(fcm({ serviceAccount: account, projectId: "acme-app" }))).rejects.toThrow();
  });
});
