import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelError, ChannelRejectedError, ChannelUnavailableError, issuesFromZod, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import webPushLib from "web-push";
import { webPush, WebPushConfig } from "../src/index.js";
import { closedUrl } from "./support/push-call.js";
import { webPushConfig, webPushSetup } from "./support/webpush-setup.js";

describe("Web Push with VAPID against a push service that decrypts", () => {
  let s: Awaited<ReturnType<typeof webPushSetup>>;
  beforeAll(async () => {
    s = await webPushSetup();
  });
  afterAll(() => s.close());

  it("declares itself a push provider for web subscriptions, with no idempotency key", () => {
    expect(s.provider).toMatchObject({ id: "webpush", channel: "push", idempotency: "none", platforms: ["web"] });
    expect(s.provider.accepts!(s.fake.subscribe().device)).toBe(true);
    // A web token without subscription keys is a Firebase token: it is left to FCM.
    expect(s.provider.accepts!({ token: "web-fcm-1", platform: "web" })).toBe(false);
  });

  it("delivers an aes128gcm payload the subscription's keys decrypt to exactly the content", async () => {
    const sub = s.fake.subscribe();
    const r = await s.send(sub.device, {
      title: "장바구니를 잊으셨나요?",
      body: "담아 두신 상품이 곧 품절돼요 🛒",
      link: "https://shop.acme.test/cart",
      data: { cartId: "c-77" },
      collapseKey: "cart reminder for c-77 (long key)",
      ttlSeconds: 900,
      priority: "normal",
      web: { icon: "https://cdn.acme.test/icon-192.png" },
    });
    expect(s.fake.problems).toEqual([]);
    const got = s.fake.received.at(-1)!;
    expect(got.payload).toEqual({
      title: "장바구니를 잊으셨나요?",
      body: "담아 두신 상품이 곧 품절돼요 🛒",
      icon: "https://cdn.acme.test/icon-192.png",
      tag: "cart reminder for c-77 (long key)",
      link: "https://shop.acme.test/cart",
      data: { cartId: "c-77" },
    });
    expect(got.headers["ttl"]).toBe("900");
    expect(got.headers["urgency"]).toBe("normal");
    expect(got.headers["topic"]).toMatch(/^[A-Za-z0-9_-]{32}$/); // the long collapse key, hashed to a valid Topic
    expect(r.providerMessageId).toBe(`${s.fake.base}/message/${got.id}`);
  });

  it("uses the configured default TTL and high urgency by default", async () => {
    await s.send(s.fake.subscribe().device, { body: "기본값" });
    expect(s.fake.received.at(-1)!.headers).toMatchObject({ ttl: "86400", urgency: "high", "content-encoding": "aes128gcm" });
  });

  it("treats 410 Gone as a dead subscription", async () => {
    const sub = s.fake.subscribe();
    s.fake.expire(sub);
    const e = await rejection<RecipientUnreachableError>(s.send(sub.device, { body: "x" }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect((e as ChannelError).invalidContacts).toEqual([{ key: `push:${sub.device.token}`, reason: "HTTP_410" }]);
  });

  it("maps 429 to a rate limit the next provider may take, 503 to a retry", async () => {
    s.fake.failNext("rate_limited");
    const limited = await rejection<RateLimitedError>(s.send(s.fake.subscribe().device, { body: "x" }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterMs).toBe(7_000);
    expect(limited.notSent).toBe(true);
    s.fake.failNext("transient");
    const unavailable = await rejection<ChannelUnavailableError>(s.send(s.fake.subscribe().device, { body: "x" }));
    expect(unavailable).toBeInstanceOf(ChannelUnavailableError);
    expect(unavailable.notSent).toBe(false);
  });

  it("refuses broken subscription keys without calling the push service", async () => {
    const sub = s.fake.subscribe();
    const broken = { ...sub.device, keys: { p256dh: "AAAA", auth: sub.device.keys!.auth } };
    const before = s.fake.received.length + s.fake.problems.length;
    const e = await rejection<RecipientUnreachableError>(s.send(broken, { body: "x" }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect(e.providerCode).toBe("BAD_SUBSCRIPTION_KEYS");
    expect(s.fake.received.length + s.fake.problems.length).toBe(before);
  });

  it("refuses a web device without subscription keys", async () => {
    const e = await rejection<RecipientUnreachableError>(s.send({ token: `${s.fake.base}/push/none`, platform: "web" }, { body: "x" }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect(e.providerCode).toBe("NO_SUBSCRIPTION_KEYS");
  });

  it("measures the plaintext against the 3993 bytes an encrypted record leaves", () => {
    const device = s.fake.subscribe().device;
    const size = s.provider.payloadSize!(s.call(device, { title: "big", data: { blob: "x".repeat(3990) } }));
    expect(size.limit).toBe(3993);
    expect(size.bytes).toBeGreaterThan(3993);
  });

  it("is refused (not retried) when signed with VAPID keys the subscription was not made with", async () => {
    const other = webPushLib.generateVAPIDKeys();
    const stranger = await startProviderPlugin(webPush({ vapid: { subject: s.fake.subject, ...other }, allowInsecureEndpoints: true }));
    const e = await rejection(stranger.provider.send(s.call(s.fake.subscribe().device, { body: "x" })));
    expect(e).toBeInstanceOf(ChannelRejectedError);
    expect(s.fake.problems.at(-1)).toMatch(/VAPID/);
    await stranger.close();
  });

  it("refuses plain-http endpoints unless allowed", async () => {
    const strict = await startProviderPlugin(webPush(webPushConfig(s.fake, { allowInsecureEndpoints: false })));
    const before = s.fake.received.length;
    const e = await rejection<RecipientUnreachableError>(strict.provider.send(s.call(s.fake.subscribe().device, { body: "x" })));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect(e.providerCode).toBe("BAD_ENDPOINT");
    expect(s.fake.received.length).toBe(before);
    await strict.close();
  });

  it("reports a push service that refuses connections as not sent", async () => {
    const sub = s.fake.subscribe();
    const e = await rejection<ChannelUnavailableError>(s.send({ ...sub.device, token: `${await closedUrl()}/push/1` }, { body: "x" }));
    expect(e).toBeInstanceOf(ChannelUnavailableError);
    expect(e.notSent).toBe(true);
  });
});

describe("Web Push configuration", () => {
  const issues = (config: unknown) => {
    const r = WebPushConfig.safeParse(config);
    return r.success ? [] : issuesFromZod(r.error);
  };

  it("refuses a bad config, naming the field", () => {
    expect(issues({ vapid: { subject: "acme", publicKey: "abc", privateKey: "def" } })).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: "vapid.subject" }), expect.objectContaining({ path: "vapid.publicKey" }), expect.objectContaining({ path: "vapid.privateKey" })]),
    );
    expect(issues({ vapid: { subject: "mailto:a@b.test", ...webPushLib.generateVAPIDKeys() } })).toEqual([]);
  });
});
