import { FakeClock, sandboxProvider, type Profile } from "@nudge/core";
import { aProfile, startChannelPlugin, type ChannelHarness, type InjectedFailure } from "@nudge/core/testkit";
import { apns } from "@nudge/provider-apns";
import { fcm } from "@nudge/provider-fcm";
import { webPush } from "@nudge/provider-webpush";
import { push } from "../../src/index.js";
import type { PushContentInput } from "../../src/content.js";
// The vendor fakes live with their provider packages, which own the vendors' contracts.
import { FakeApns } from "../../../provider-apns/test/support/fake-apns.js";
import { FakeFcm } from "../../../provider-fcm/test/support/fake-fcm.js";
import { FakePushService } from "../../../provider-webpush/test/support/fake-push-service.js";

export const ALL = ["fcm", "apns", "webpush"];

/** The fake vendors, sharing one clock. */
export async function pushFakes(clock: FakeClock) {
  const fcmFake = await new FakeFcm(clock).start();
  const apnsFake = await new FakeApns(clock).start();
  const web = await new FakePushService().start();
  return {
    fcm: fcmFake,
    apns: apnsFake,
    web,
    /** The three provider plugins, pointed at the fakes. */
    plugins: () => [
      fcm({ serviceAccount: { client_email: fcmFake.clientEmail, private_key: fcmFake.privateKeyPem, project_id: fcmFake.projectId }, tokenUrl: fcmFake.tokenUrl, baseUrl: fcmFake.base, timeoutMs: 3_000 }),
      apns({ teamId: apnsFake.teamId, keyId: apnsFake.keyId, privateKey: apnsFake.privateKeyPem, topic: apnsFake.topic, baseUrl: apnsFake.base, timeoutMs: 3_000 }),
      webPush({ vapid: { subject: web.subject, publicKey: web.vapid.publicKey, privateKey: web.vapid.privateKey }, allowInsecureEndpoints: true, timeoutMs: 3_000 }),
    ],
    stop: () => Promise.all([fcmFake.stop(), apnsFake.stop(), web.stop()]),
  };
}

/** The push channel with the FCM, APNs and Web Push provider plugins pointed at local fakes. */
export async function pushSetup(providers: string[] = ALL, clock = new FakeClock("2026-03-02T01:00:00Z")) {
  const fakes = await pushFakes(clock);
  const extra = providers.includes("sandbox") ? [sandboxProvider({ channel: "push" })] : [];
  const started = await startChannelPlugin<PushContentInput>(push({ providers }), { clock, providers: [...fakes.plugins(), ...extra] });
  return {
    ...fakes,
    ...started,
    async close() {
      await started.close();
      await fakes.stop();
    },
  };
}

/**
 * The channel on the sandbox provider. A failure is injected by moving the reachable person to a device the
 * sandbox fails for (`failFor` is keyed by token); `accepted()` moves them back.
 */
export async function sandboxHarness(): Promise<ChannelHarness<PushContentInput>> {
  const failFor = { "tok-permanent": "permanent", "tok-unreachable": "unreachable", "tok-transient": "transient", "tok-rate_limited": "rate_limited" } as const;
  const started = await startChannelPlugin<PushContentInput>(push(), { providers: [sandboxProvider({ channel: "push", failFor })] });
  const live = { token: "tok-live-android", platform: "android" as const };
  const reachable: Profile = aProfile("acme", { contacts: { push: [live] } });
  return {
    channel: started.channel,
    validContent: { title: "주문 완료", body: "주문하신 상품이 곧 출발해요", link: "acme://orders/42", data: { orderId: "42" } },
    invalidContent: { content: { title: "x", image: "http://insecure.test/a.png" }, path: "image" },
    reachable,
    unreachable: aProfile("acme", { contacts: { push: [{ token: "tok-dead", platform: "ios" }], invalid: { "push:tok-dead": { reason: "Unregistered", at: 1 } } } }),
    fake: {
      accepted: () => {
        reachable.contacts.push = [live];
        return started.outbox.list().length;
      },
      failNext: (kind: InjectedFailure) => {
        reachable.contacts.push = [{ token: `tok-${kind}`, platform: "android" }];
      },
      lastIdempotencyKey: () => started.outbox.list().at(-1)?.idempotencyKey,
    },
    close: () => started.close(),
  };
}

export const ANDROID_TOKEN = "fcm-token-android-0001:APA91bH-example";
export const IOS_TOKEN = "a".repeat(60) + "0001";

/** The channel with the three provider plugins; the reachable person has one device, on the given vendor. */
export function vendorHarness(vendor: "fcm" | "apns" | "webpush"): () => Promise<ChannelHarness<PushContentInput>> {
  return async () => {
    const s = await pushSetup();
    const device =
      vendor === "fcm" ? { token: ANDROID_TOKEN, platform: "android" as const } : vendor === "apns" ? { token: IOS_TOKEN, platform: "ios" as const } : s.web.subscribe().device;
    const fake = vendor === "fcm" ? s.fcm : vendor === "apns" ? s.apns : s.web;
    const accepted = () => (vendor === "fcm" ? s.fcm.messages.length : vendor === "apns" ? s.apns.requests.length : s.web.received.length);
    return {
      channel: s.channel,
      validContent: { title: "주문 완료", body: "주문하신 상품이 곧 출발해요", link: "acme://orders/42", data: { orderId: "42" } },
      invalidContent: { content: { title: "x", image: "http://insecure.test/a.png" }, path: "image" },
      reachable: aProfile("acme", { contacts: { push: [device] } }),
      unreachable: aProfile("acme", { contacts: { push: [{ ...device, token: `${device.token}-dead` }], invalid: { [`push:${device.token}-dead`]: { reason: "Unregistered", at: 1 } } } }),
      fake: { accepted, failNext: (kind) => fake.failNext(kind) },
      close: () => s.close(),
    };
  };
}
