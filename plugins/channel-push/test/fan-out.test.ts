import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChannelError, ChannelUnavailableError, createNudge, RecipientUnreachableError, silentLogger, ValidationError } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";
import { push } from "../src/index.js";
import type { PushContentInput } from "../src/content.js";
import { pushSetup } from "./support/push-harness.js";

const iosToken = (n: number) => n.toString(16).padStart(64, "a");

describe("one send reaches every device of a person", () => {
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

  it("skips tokens already marked invalid and platforms without a provider; none left means unreachable", async () => {
    const webOnly = await startChannelPlugin<PushContentInput>(push({ webpush: { vapid: { subject: s.web.subject, publicKey: s.web.vapid.publicKey, privateKey: s.web.vapid.privateKey } } }));
    const browser = s.web.subscribe();
    const person = aProfile("acme", {
      contacts: { push: [{ token: "android-only", platform: "android" }, browser.device], invalid: { [`push:${browser.device.token}`]: { reason: "gone", at: 1 } } },
    });
    expect(webOnly.channel.address(person)).toBeNull();
    const e = await rejection<RecipientUnreachableError>(webOnly.channel.send({ to: "x", content: webOnly.channel.contentSchema.parse({ body: "x" }), context: sendContext(person) }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect(e.providerCode).toBe("NO_DEVICE");
    await webOnly.close();
  });
});

describe("dead tokens when every device failed", () => {
  it("hands them to the engine on the error, which marks them invalid (see e2e.test.ts)", async () => {
    const started = await startChannelPlugin<PushContentInput>(push({ sandbox: { failFor: { "tok-dead": "unreachable" } } }));
    const profile = aProfile("acme", { contacts: { push: [{ token: "tok-dead", platform: "android" }, { token: "tok-ok", platform: "ios" }], invalid: { "push:tok-ok": { reason: "earlier", at: 1 } } } });
    // Only the dead one is sent to: the other is already marked invalid.
    const e = await rejection(started.channel.send({ to: "tok-dead", content: started.channel.contentSchema.parse({ body: "x" }), context: sendContext(profile) }));
    expect(e).toBeInstanceOf(RecipientUnreachableError);
    expect((e as ChannelError).invalidContacts).toEqual([{ key: "push:tok-dead", reason: "sandbox: sandbox_unreachable" }]);
    await started.close();
  });
});

describe("content and config validation", () => {
  it("names the bad field of content", async () => {
    const s = await startChannelPlugin<PushContentInput>(push({ sandbox: {} }));
    const path = (c: unknown) => s.channel.contentSchema.safeParse(c).error?.issues.map((i) => i.path.join("."));
    expect(path({})).toEqual(["title"]);
    expect(path({ title: "x", data: { from: "me" } })).toEqual(["data.from"]);
    expect(path({ title: "x", data: { n: 1 } })).toEqual(["data.n"]);
    expect(path({ title: "x", ios: { image: "http://a.test/i.png" } })).toEqual(["ios.image"]);
    expect(path({ data: { k: "v" } })).toBeUndefined(); // data-only (silent) push
    expect(() => s.channel.prepare!(s.channel.contentSchema.parse({ title: "x" }), sendContext(aProfile("acme")))).not.toThrow(ValidationError);
    await s.close();
  });

  it("fails at boot on a bad config, naming the field", async () => {
    const boot = (config: unknown) => createNudge({ workspace: "acme", logger: silentLogger(), plugins: [storageMemory(), push(config as never)] });
    await expect(boot({})).rejects.toMatchObject({ code: "NUDGE_PLUGIN_CONFIG", issues: [expect.objectContaining({ path: "fcm" })] });
    await expect(boot({ apns: { teamId: "short", keyId: "KEY1234567", privateKey: "x", topic: "a" } })).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: "apns.teamId" }), expect.objectContaining({ path: "apns.privateKey" })]),
    });
    await expect(boot({ webpush: { vapid: { subject: "acme", publicKey: "abc", privateKey: "def" } } })).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: "webpush.vapid.subject" }), expect.objectContaining({ path: "webpush.vapid.publicKey" })]),
    });
    await expect(boot({ sandbox: {}, webpush: undefined, iosVia: "apns" })).resolves.toBeTruthy(); // the sandbox takes every platform
  });

  it("fails at start when a key cannot be imported", async () => {
    const nudge = await createNudge({
      workspace: "acme",
      logger: silentLogger(),
      plugins: [storageMemory(), push({ apns: { teamId: "ABCDE12345", keyId: "KEY1234567", privateKey: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", topic: "com.acme.app" } })],
    });
    await expect(nudge.start()).rejects.toMatchObject({ code: "NUDGE_PLUGIN_LIFECYCLE", message: expect.stringContaining("channel-push") });
  });
});
