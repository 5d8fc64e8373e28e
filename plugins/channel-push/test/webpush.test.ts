import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelError, ChannelRejectedError, RecipientUnreachableError, type PushToken } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin } from "@nudge/core/testkit";
import webPush from "web-push";
import type { PushContentInput } from "../src/content.js";
import { push } from "../src/index.js";
import { pushSetup } from "./support/push-harness.js";

describe("Web Push with VAPID against a push service that decrypts", () => {
  let s: Awaited<ReturnType<typeof pushSetup>>;
  beforeAll(async () => {
    s = await pushSetup();
  });
  afterAll(() => s.close());

  const send = (device: PushToken, content: PushContentInput) => {
    const person = aProfile("acme", { contacts: { push: [device] } });
    return s.channel.send({ to: device.token, content: s.channel.contentSchema.parse(content), context: sendContext(person, { now: s.clock.now() }) });
  };

  it("delivers an aes128gcm payload the subscription's keys decrypt to exactly the content", async () => {
    const sub = s.web.subscribe();
    const r = await send(sub.device, {
      title: "장바구니를 잊으셨나요?",
      body: "담아 두신 상품이 곧 품절돼요 🛒",
      link: "https://shop.acme.test/cart",
      data: { cartId: "c-77" },
      collapseKey: "cart reminder for c-77 (long key)",
      ttlSeconds: 900,
      priority: "normal",
      web: { icon: "https://cdn.acme.test/icon-192.png" },
    });
    expect(s.web.problems).toEqual([]);
    const got = s.web.received.at(-1)!;
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
    expect(r.providerMessageId).toBe(`${s.web.base}/message/${got.id}`);
  });

  it("uses the configured default TTL and high urgency by default", async () => {
    await send(s.web.subscribe().device, { body: "기본값" });
    expect(s.web.received.at(-1)!.headers).toMatchObject({ ttl: "86400", urgency: "high", "content-encoding": "aes128gcm" });
  });

  it("treats 410 Gone as a dead subscription", async () => {
    const sub = s.web.subscribe();
    s.web.expire(sub);
    const e = await rejection<RecipientUnreachableError>(send(sub.device, { body: "x" }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect((e as ChannelError).invalidContacts).toEqual([{ key: `push:${sub.device.token}`, reason: "webpush: HTTP_410" }]);
  });

  it("refuses broken subscription keys without calling the push service", async () => {
    const sub = s.web.subscribe();
    const broken = { ...sub.device, keys: { p256dh: "AAAA", auth: sub.device.keys!.auth } };
    const before = s.web.received.length + s.web.problems.length;
    const e = await rejection<RecipientUnreachableError>(send(broken, { body: "x" }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect(e.providerCode).toBe("BAD_SUBSCRIPTION_KEYS");
    expect(s.web.received.length + s.web.problems.length).toBe(before);
  });

  it("is refused (not retried) when signed with VAPID keys the subscription was not made with", async () => {
    const other = webPush.generateVAPIDKeys();
    const stranger = await startChannelPlugin<PushContentInput>(push({ webpush: { vapid: { subject: s.web.subject, ...other }, allowInsecureEndpoints: true } }));
    const sub = s.web.subscribe();
    const person = aProfile("acme", { contacts: { push: [sub.device] } });
    const e = await rejection(stranger.channel.send({ to: sub.device.token, content: stranger.channel.contentSchema.parse({ body: "x" }), context: sendContext(person) }));
    expect(e).toBeInstanceOf(ChannelRejectedError);
    expect(s.web.problems.at(-1)).toMatch(/VAPID/);
    await stranger.close();
  });

  it("refuses plain-http endpoints unless allowed", async () => {
    const strict = await startChannelPlugin<PushContentInput>(push({ webpush: { vapid: { subject: s.web.subject, publicKey: s.web.vapid.publicKey, privateKey: s.web.vapid.privateKey } } }));
    const sub = s.web.subscribe();
    const person = aProfile("acme", { contacts: { push: [sub.device] } });
    const before = s.web.received.length;
    const e = await rejection<RecipientUnreachableError>(strict.channel.send({ to: sub.device.token, content: strict.channel.contentSchema.parse({ body: "x" }), context: sendContext(person) }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect(e.providerCode).toBe("BAD_ENDPOINT");
    expect(s.web.received.length).toBe(before);
    await strict.close();
  });
});
