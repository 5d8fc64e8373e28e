import { FakeClock, type PushToken, type SendContext } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import type { PushContentInput, PushPayload, PushProvider } from "@nudge/channel-push";
import { webPush, type WebPushConfigInput } from "../../src/index.js";
import { FakePushService } from "./fake-push-service.js";
import { pushCall } from "./push-call.js";

/** The config of a webpush plugin whose VAPID keys the fake push service knows. */
export function webPushConfig(fake: FakePushService, over: Partial<WebPushConfigInput> = {}): WebPushConfigInput {
  return { vapid: { subject: fake.subject, publicKey: fake.vapid.publicKey, privateKey: fake.vapid.privateKey }, allowInsecureEndpoints: true, timeoutMs: 3_000, ...over };
}

/** The webpush provider plugin, started as createNudge starts it, with a fake push service that decrypts. */
export async function webPushSetup(clock = new FakeClock("2026-03-02T01:00:00Z"), over: Partial<WebPushConfigInput> = {}) {
  const fake = await new FakePushService().start();
  const started = await startProviderPlugin<PushPayload>(webPush(webPushConfig(fake, over)), { clock });
  const provider = started.provider as PushProvider;
  const call = (device: PushToken, content: PushContentInput, context: Partial<SendContext> = {}) => pushCall(device, content, { now: clock.now(), ...context });
  return {
    fake,
    clock,
    provider,
    call,
    send: (device: PushToken, content: PushContentInput, context: Partial<SendContext> = {}) => provider.send(call(device, content, context)),
    async close() {
      await started.close();
      await fake.stop();
    },
  };
}
