import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelError, ChannelUnavailableError, RateLimitedError, RecipientUnreachableError, sandboxProvider } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin } from "@nudge/core/testkit";
import { webPush } from "@nudge/provider-webpush";
import { push } from "../src/index.js";
import type { PushContentInput } from "../src/content.js";
import { pushSetup } from "./support/push-harness.js";

const iosToken = (n: number) => n.toString(16).padStart(64, "a");

describe("one send reaches every device of a person, each through its provider", () => {
  let s: Awaited<ReturnType<typeof pushSetup>>;
  beforeAll(async () => {
    s = await pushSetup();
  });
  afterAll(() => s.close());

  it("fans out to Android, iOS and a browser, reporting each device", async () => {
    const browser = s.web.subscribe();
    const person = aProfile("acme", {
      contacts: {
        push: [
          { token: "android-a", platform: "android", addedAt: 1 },
          { token: iosToken(1), platform: "ios", addedAt: 2 },
          browser.device,
          { token: "android-a", platform: "android", addedAt: 3 }, // registered twice: sent once
        ],
      },
    });
    const content = s.channel.contentSchema.parse({ title: "새 메시지", body: "확인해 보세요", android: { title: "새 메시지 (안드로이드)" } });
    const r = await s.channel.send({ to: s.channel.address(person)!, content, context: sendContext(person, { now: s.clock.now() }) });

    expect(s.fcm.messages.filter((m) => m["token"] === "android-a")).toHaveLength(1);
    expect(s.fcm.messages.at(-1)).toMatchObject({ notification: { title: "새 메시지 (안드로이드)" } });
    expect(s.apns.requests.at(-1)).toMatchObject({ token: iosToken(1), payload: { aps: { alert: { title: "새 메시지" } } } });
    expect(s.web.received.at(-1)!.payload).toMatchObject({ title: "새 메시지", body: "확인해 보세요" });
    expect(r.providerCode).toBe("3/3");
    expect(r.provider).toBe("fcm+apns+webpush");
    expect(r.invalidContacts).toBeUndefined();
    const devices = (r.details as { devices: Record<string, unknown>[] }).devices;
    expect(devices.map((d) => [d["platform"], d["provider"], d["status"]])).toEqual(
      expect.arrayContaining([
        ["android", "fcm", "sent"],
        ["ios", "apns", "sent"],
        ["web", "webpush", "sent"],
      ]),
    );
    expect(JSON.stringify(devices)).not.toContain(iosToken(1)); // only a suffix of each token is kept
  });

  it("sends an iOS token from the Firebase SDK through FCM, and an APNs device token through APNs", async () => {
    const person = aProfile("acme", { contacts: { push: [{ token: "ios-fcm-1:APA91bH-example", platform: "ios" }, { token: iosToken(5), platform: "ios" }] } });
    const r = await s.channel.send({ to: "x", content: s.channel.contentSchema.parse({ title: "t", badge: 3 }), context: sendContext(person, { now: s.clock.now() }) });
    expect(r.providerCode).toBe("2/2");
    expect(s.fcm.messages.at(-1)).toMatchObject({ token: "ios-fcm-1:APA91bH-example", apns: { payload: { aps: { badge: 3 } } } });
    expect(s.apns.requests.at(-1)).toMatchObject({ token: iosToken(5), payload: { aps: { badge: 3 } } });
  });

  it("succeeds when one device accepts, returning the dead ones as invalid contacts", async () => {
    s.fcm.answerFor("android-gone", "UNREGISTERED");
    s.apns.answerFor(iosToken(2), "Unregistered");
    const person = aProfile("acme", { contacts: { push: [{ token: "android-gone", platform: "android" }, { token: iosToken(2), platform: "ios" }, { token: "android-ok", platform: "android" }] } });
    const r = await s.channel.send({ to: "x", content: s.channel.contentSchema.parse({ body: "hi" }), context: sendContext(person, { now: s.clock.now() }) });
    expect(r.providerCode).toBe("1/3");
    expect(r.invalidContacts).toEqual(
      expect.arrayContaining([
        { key: "push:android-gone", reason: "fcm: UNREGISTERED" },
        { key: `push:${iosToken(2)}`, reason: "apns: Unregistered" },
      ]),
    );
  });

  it("is retryable when no device accepted but one failed transiently", async () => {
    s.fcm.answerFor("android-gone-2", "UNREGISTERED");
    s.apns.failNext("ServiceUnavailable");
    const person = aProfile("acme", { contacts: { push: [{ token: "android-gone-2", platform: "android" }, { token: iosToken(3), platform: "ios" }] } });
    const e = await rejection<ChannelUnavailableError>(s.channel.send({ to: "x", content: s.channel.contentSchema.parse({ body: "hi" }), context: sendContext(person, { now: s.clock.now() }) }));
    expect(e).toBeInstanceOf(ChannelUnavailableError);
    expect(e.retryable).toBe(true);
    expect((e as ChannelError).invalidContacts).toEqual([{ key: "push:android-gone-2", reason: "fcm: UNREGISTERED" }]);
  });

  it("refuses a payload over 4 KB in prepare, naming the platform and its provider", () => {
    const person = aProfile("acme", { contacts: { push: [{ token: iosToken(20), platform: "ios" }] } });
    const content = s.channel.contentSchema.parse({ title: "big", data: { blob: "x".repeat(4000), more: "y".repeat(400) } });
    expect(() => s.channel.prepare!(content, sendContext(person))).toThrow(/ios: the apns payload is \d+ bytes; the limit is 4096/);
    expect(() => s.channel.prepare!(s.channel.contentSchema.parse({ title: "small" }), sendContext(person))).not.toThrow();
  });

  it("skips tokens already marked invalid and devices no provider takes; none left means unreachable", async () => {
    const webOnly = await startChannelPlugin<PushContentInput>(push({ providers: ["webpush"] }), {
      providers: [webPush({ vapid: { subject: s.web.subject, publicKey: s.web.vapid.publicKey, privateKey: s.web.vapid.privateKey } })],
    });
    const browser = s.web.subscribe();
    const person = aProfile("acme", {
      contacts: {
        push: [{ token: "android-only", platform: "android" }, { token: "web-fcm-only", platform: "web" }, browser.device],
        invalid: { [`push:${browser.device.token}`]: { reason: "gone", at: 1 } },
      },
    });
    expect(webOnly.channel.address(person)).toBeNull();
    const e = await rejection<RecipientUnreachableError>(webOnly.channel.send({ to: "x", content: webOnly.channel.contentSchema.parse({ body: "x" }), context: sendContext(person) }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect(e.providerCode).toBe("NO_DEVICE");
    await webOnly.close();
  });
});

describe("failover between providers serving one platform", () => {
  let s: Awaited<ReturnType<typeof pushSetup>>;
  beforeAll(async () => {
    s = await pushSetup(["apns", "sandbox"]);
  });
  afterAll(() => s.close());
  const send = (token: string) => {
    const person = aProfile("acme", { contacts: { push: [{ token, platform: "ios" }] } });
    return s.channel.send({ to: token, content: s.channel.contentSchema.parse({ title: "t" }), context: sendContext(person, { now: s.clock.now() }) });
  };

  it("moves a device to the next provider when the first provably did not act (429)", async () => {
    s.apns.failNext("TooManyRequests");
    const r = await send(iosToken(40));
    expect(r.provider).toBe("sandbox");
    expect((r.details as { devices: Record<string, unknown>[] }).devices[0]).toMatchObject({ provider: "sandbox", status: "sent", tried: ["apns", "sandbox"] });
    expect(s.outbox.list().at(-1)).toMatchObject({ channel: "test", to: iosToken(40), messageType: "push", content: { platform: "ios", title: "t", priority: "high" } });
  });

  it("does not move on when the first provider may have acted (503)", async () => {
    const before = s.outbox.list().length;
    s.apns.failNext("ServiceUnavailable");
    const e = await rejection<ChannelUnavailableError>(send(iosToken(41)));
    expect(e).toBeInstanceOf(ChannelUnavailableError);
    expect(s.outbox.list()).toHaveLength(before);
  });

  it("keeps the token when only a failover provider calls it dead (tokens belong to their own vendor)", async () => {
    const guarded = await startChannelPlugin<PushContentInput>(push({ providers: ["apns", "sandbox"] }), {
      providers: [...s.plugins().filter((p) => p.plugin.id === "apns"), sandboxProvider({ channel: "push", failFor: { [iosToken(42)]: "unreachable" } })],
    });
    try {
      s.apns.failNext("TooManyRequests");
      const person = aProfile("acme", { contacts: { push: [{ token: iosToken(42), platform: "ios" }] } });
      const e = await rejection<RateLimitedError>(guarded.channel.send({ to: "x", content: guarded.channel.contentSchema.parse({ title: "t" }), context: sendContext(person, { now: s.clock.now() }) }));
      expect(e).toBeInstanceOf(RateLimitedError); // APNs' answer stands: retried later
      expect(e.retryAfterMs).toBe(12_000);
      expect((e as ChannelError).invalidContacts).toEqual([]);
      expect((e as ChannelError).details["devices"]).toEqual([expect.objectContaining({ provider: "apns", status: "failed", code: "TooManyRequests", tried: ["apns", "sandbox"] })]);
    } finally {
      await guarded.close();
    }
  });
});

describe("dead tokens when every device failed", () => {
  it("hands them to the engine on the error, which marks them invalid (see e2e.test.ts)", async () => {
    const started = await startChannelPlugin<PushContentInput>(push(), { providers: [sandboxProvider({ channel: "push", failFor: { "tok-dead": "unreachable" } })] });
    const profile = aProfile("acme", { contacts: { push: [{ token: "tok-dead", platform: "android" }, { token: "tok-ok", platform: "ios" }], invalid: { "push:tok-ok": { reason: "earlier", at: 1 } } } });
    // Only the dead one is sent to: the other is already marked invalid.
    const e = await rejection(started.channel.send({ to: "tok-dead", content: started.channel.contentSchema.parse({ body: "x" }), context: sendContext(profile) }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect((e as ChannelError).invalidContacts).toEqual([{ key: "push:tok-dead", reason: "sandbox: sandbox_unreachable" }]);
    await started.close();
  });
});
