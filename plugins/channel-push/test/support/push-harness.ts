import { FakeClock } from "@nudge/core";
import { aProfile, startChannelPlugin, type ChannelHarness } from "@nudge/core/testkit";
import { push } from "../../src/index.js";
import type { PushContentInput } from "../../src/content.js";
import { FakeApns } from "./fake-apns.js";
import { FakeFcm } from "./fake-fcm.js";
import { FakePushService } from "./fake-push-service.js";

export const ANDROID_TOKEN = "fcm-token-android-0001:APA91bH-example";
export const IOS_TOKEN = "a".repeat(60) + "0001";

/** The push channel with FCM, APNs and Web Push pointed at local fakes that share one clock. */
export async function pushSetup(clock = new FakeClock("2026-03-02T01:00:00Z"), extra: { iosVia?: "apns" | "fcm" } = {}) {
  const fcm = await new FakeFcm(clock).start();
  const apns = await new FakeApns(clock).start();
  const web = await new FakePushService().start();
  const started = await startChannelPlugin<PushContentInput>(
    push({
      fcm: { serviceAccount: { client_email: fcm.clientEmail, private_key: fcm.privateKeyPem, project_id: fcm.projectId }, tokenUrl: fcm.tokenUrl, baseUrl: fcm.base },
      apns: { teamId: apns.teamId, keyId: apns.keyId, privateKey: apns.privateKeyPem, topic: apns.topic, baseUrl: apns.base },
      webpush: { vapid: { subject: web.subject, publicKey: web.vapid.publicKey, privateKey: web.vapid.privateKey }, allowInsecureEndpoints: true },
      timeoutMs: 3_000,
      ...extra,
    }),
    { clock },
  );
  return {
    fcm,
    apns,
    web,
    ...started,
    async close() {
      await started.close();
      await Promise.all([fcm.stop(), apns.stop(), web.stop()]);
    },
  };
}

/** One harness per vendor: the reachable person has one device on that vendor. */
export function pushHarness(vendor: "fcm" | "apns" | "webpush"): () => Promise<ChannelHarness<PushContentInput>> {
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
