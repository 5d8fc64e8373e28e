import { describeProviderConformance } from "@nudge/core/testkit";
import type { Provider } from "@nudge/core";
import type { PushPayload } from "@nudge/channel-push";
import { closedUrl } from "./support/push-call.js";
import { webPushSetup } from "./support/webpush-setup.js";

describeProviderConformance<PushPayload>("webpush (Web Push + VAPID, browser subscription)", async () => {
  const s = await webPushSetup();
  const device = s.fake.subscribe().device;
  return {
    provider: s.provider,
    channel: "push",
    call: (ids) => s.call(device, { title: "주문 완료", body: "곧 출발해요", link: "https://shop.acme.test/orders/42", data: { orderId: "42" } }, ids),
    fake: {
      accepted: () => s.fake.received.length,
      contractViolations: () => s.fake.problems,
      failNext: (kind) => s.fake.failNext(kind),
    },
    async refused(): Promise<Provider<PushPayload>> {
      // A Web Push provider has no vendor address of its own: the push service is the subscription's endpoint,
      // which the call carries. So the same provider is handed calls whose endpoint is where nothing listens.
      const dead = `${await closedUrl()}/push/${device.token.split("/").at(-1)}`;
      const p = s.provider;
      return { id: p.id, channel: p.channel, idempotency: p.idempotency, send: (call) => p.send({ ...call, to: dead }) };
    },
    close: () => s.close(),
  };
});
