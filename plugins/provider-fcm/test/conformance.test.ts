import { describeProviderConformance, startProviderPlugin, type StartedProviderPlugin } from "@nudge/core/testkit";
import type { PushPayload } from "@nudge/channel-push";
import { fcm } from "../src/index.js";
import { fcmConfig, fcmSetup } from "./support/fcm-setup.js";
import { closedUrl } from "./support/push-call.js";

describeProviderConformance<PushPayload>("fcm (FCM HTTP v1, Android device)", async () => {
  const s = await fcmSetup();
  const others: StartedProviderPlugin<PushPayload>[] = [];
  return {
    provider: s.provider,
    channel: "push",
    call: (ids) => s.call("fcm-token-android-0001:APA91bH-example", "android", { title: "주문 완료", body: "곧 출발해요", link: "acme://orders/42", data: { orderId: "42" } }, ids),
    fake: {
      accepted: () => s.fake.messages.length,
      contractViolations: () => s.fake.problems,
      failNext: (kind) => s.fake.failNext(kind),
    },
    async refused() {
      // The token endpoint answers; FCM itself is an address where nothing listens.
      const started = await startProviderPlugin<PushPayload>(fcm(fcmConfig(s.fake, { baseUrl: await closedUrl() })), { clock: s.clock });
      others.push(started);
      return started.provider;
    },
    async close() {
      for (const o of others) await o.close();
      await s.close();
    },
  };
});
