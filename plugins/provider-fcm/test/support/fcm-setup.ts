import { FakeClock, type PushToken, type SendContext } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import type { PushContentInput, PushPayload, PushProvider } from "@nudge/channel-push";
import { fcm, type FcmConfigInput } from "../../src/index.js";
import { FakeFcm } from "./fake-fcm.js";
import { pushCall } from "./push-call.js";

/** The config pointing the fcm plugin at a fake FCM and token endpoint. */
export function fcmConfig(fake: FakeFcm, over: Partial<FcmConfigInput> = {}): FcmConfigInput {
  return {
    serviceAccount: { client_email: fake.clientEmail, private_key: fake.privateKeyPem, project_id: fake.projectId },
    tokenUrl: fake.tokenUrl,
    baseUrl: fake.base,
    timeoutMs: 3_000,
    ...over,
  };
}

/** The fcm provider plugin, started as createNudge starts it, against a fake FCM on the same clock. */
export async function fcmSetup(clock = new FakeClock("2026-03-02T01:00:00Z"), over: Partial<FcmConfigInput> = {}) {
  const fake = await new FakeFcm(clock).start();
  const started = await startProviderPlugin<PushPayload>(fcm(fcmConfig(fake, over)), { clock });
  const provider = started.provider as PushProvider;
  return {
    fake,
    clock,
    provider,
    call: (token: string, platform: PushToken["platform"], content: PushContentInput, context: Partial<SendContext> = {}) => pushCall({ token, platform }, content, { now: clock.now(), ...context }),
    send: (token: string, platform: PushToken["platform"], content: PushContentInput, context: Partial<SendContext> = {}) =>
      provider.send(pushCall({ token, platform }, content, { now: clock.now(), ...context })),
    async close() {
      await started.close();
      await fake.stop();
    },
  };
}
