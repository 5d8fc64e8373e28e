import { describeProviderConformance, startProviderPlugin, type StartedProviderPlugin } from "@nudge/core/testkit";
import type { PushPayload } from "@nudge/channel-push";
import { apns } from "../src/index.js";
import { apnsConfig, apnsSetup } from "./support/apns-setup.js";
import { closedUrl } from "./support/push-call.js";

describeProviderConformance<PushPayload>("apns (APNs HTTP/2, iOS device)", async () => {
  const s = await apnsSetup();
  const others: StartedProviderPlugin<PushPayload>[] = [];
  return {
    provider: s.provider,
    channel: "push",
    call: (ids) => s.call("a".repeat(60) + "0001", { title: "주문 완료", body: "곧 출발해요", link: "acme://orders/42", data: { orderId: "42" } }, ids),
    fake: {
      accepted: () => s.fake.requests.length,
      contractViolations: () => s.fake.problems,
      failNext: (kind) => s.fake.failNext(kind),
    },
    async refused() {
      const started = await startProviderPlugin<PushPayload>(apns(apnsConfig(s.fake, { baseUrl: await closedUrl() })), { clock: s.clock });
      others.push(started);
      return started.provider;
    },
    async close() {
      for (const o of others) await o.close();
      await s.close();
    },
  };
});
