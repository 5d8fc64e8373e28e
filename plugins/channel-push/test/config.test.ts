import { describe, expect, it } from "vitest";
import { createNudge, silentLogger, ValidationError } from "@nudge/core";
import { aProfile, capturingLogger, sendContext, startChannelPlugin } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";
import { apns } from "@nudge/provider-apns";
import { webPush } from "@nudge/provider-webpush";
import { push } from "../src/index.js";
import type { PushContentInput } from "../src/content.js";
import { FakePushService } from "../../provider-webpush/test/support/fake-push-service.js";

describe("content validation", () => {
  it("names the bad field of content", async () => {
    const s = await startChannelPlugin<PushContentInput>(push());
    const path = (c: unknown) => s.channel.contentSchema.safeParse(c).error?.issues.map((i) => i.path.join("."));
    expect(path({})).toEqual(["title"]);
    expect(path({ title: "x", data: { from: "me" } })).toEqual(["data.from"]);
    expect(path({ title: "x", data: { n: 1 } })).toEqual(["data.n"]);
    expect(path({ title: "x", ios: { image: "http://a.test/i.png" } })).toEqual(["ios.image"]);
    expect(path({ data: { k: "v" } })).toBeUndefined(); // data-only (silent) push
    expect(() => s.channel.prepare!(s.channel.contentSchema.parse({ title: "x" }), sendContext(aProfile("acme")))).not.toThrow(ValidationError);
    await s.close();
  });

  it("sends through the sandbox by default, recording each device's resolved content", async () => {
    const s = await startChannelPlugin<PushContentInput>(push());
    expect(s.channel.providers).toEqual(["sandbox"]);
    const person = aProfile("acme", { contacts: { push: [{ token: "tok-web", platform: "web", keys: { p256dh: "p", auth: "a" } }] } });
    const r = await s.channel.send({ to: "tok-web", content: s.channel.contentSchema.parse({ title: "hi", web: { icon: "https://acme.test/i.png" } }), context: sendContext(person) });
    expect(r).toMatchObject({ provider: "sandbox", providerCode: "1/1", messageType: "push" });
    expect(s.outbox.list()[0]!.content).toEqual({ platform: "web", title: "hi", icon: "https://acme.test/i.png", data: {}, priority: "high", keys: { p256dh: "p", auth: "a" } });
    await s.close();
  });
});

describe("configuration", () => {
  const boot = (...plugins: unknown[]) => createNudge({ workspace: "acme", logger: silentLogger(), plugins: [storageMemory(), ...(plugins as never[])] });

  it("refuses the old vendor keys, pointing at the provider plugins", async () => {
    await expect(boot(push({ fcm: { serviceAccount: {} } } as never))).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: [expect.objectContaining({ path: "fcm", message: expect.stringContaining("@nudge/provider-fcm") })],
    });
    await expect(boot(push({ sandbox: {}, iosVia: "fcm" } as never))).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: "sandbox" }), expect.objectContaining({ path: "iosVia" })]),
    });
    await expect(boot(push({ providers: [] }))).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "providers" })] });
    await expect(boot(push({ providers: ["FCM"] }))).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "providers[0]" })] });
    await expect(boot(push({ maxDevices: 0 }))).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "maxDevices" })] });
  });

  it("fails at boot when a listed provider has no plugin", async () => {
    await expect(boot(push({ providers: ["fcm", "apns"] }))).rejects.toMatchObject({ code: "NUDGE_MISSING_PROVIDER", message: expect.stringContaining('"fcm"') });
  });

  it("fails at start when a provider's key cannot be imported", async () => {
    const nudge = await boot(
      push({ providers: ["apns"] }),
      apns({ teamId: "ABCDE12345", keyId: "KEY1234567", privateKey: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", topic: "com.acme.app" }),
    );
    await expect(nudge.start()).rejects.toMatchObject({ code: "NUDGE_PLUGIN_LIFECYCLE", message: expect.stringContaining("apns") });
  });

  it("says at start which platforms no provider serves", async () => {
    const { logger, lines } = capturingLogger();
    const { subject, vapid } = new FakePushService(); // only its VAPID keys: nothing is sent
    const nudge = await createNudge({
      workspace: "acme",
      logger,
      plugins: [storageMemory(), push({ providers: ["webpush"] }), webPush({ vapid: { subject, ...vapid } })],
    });
    await nudge.start();
    try {
      expect(lines).toEqual(expect.arrayContaining([expect.objectContaining({ unserved: ["android", "ios"], msg: expect.stringContaining("no provider serves android, ios") })]));
    } finally {
      await nudge.stop();
    }
  });
});
