import { FakeClock, type SendContext } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import type { PushContentInput, PushPayload, PushProvider } from "@nudge/channel-push";
import { apns, type ApnsConfigInput } from "../../src/index.js";
import { FakeApns } from "./fake-apns.js";
import { pushCall } from "./push-call.js";

/** The config pointing the apns plugin at a fake APNs. */
export function apnsConfig(fake: FakeApns, over: Partial<ApnsConfigInput> = {}): ApnsConfigInput {
  return { teamId: fake.teamId, keyId: fake.keyId, privateKey: fake.privateKeyPem, topic: fake.topic, baseUrl: fake.base, timeoutMs: 3_000, ...over };
}

/** The apns provider plugin, started as createNudge starts it, against a fake APNs on the same clock. */
export async function apnsSetup(clock = new FakeClock("2026-03-02T01:00:00Z"), over: Partial<ApnsConfigInput> = {}) {
  const fake = await new FakeApns(clock).start();
  const started = await startProviderPlugin<PushPayload>(apns(apnsConfig(fake, over)), { clock });
  const provider = started.provider as PushProvider;
  const call = (token: string, content: PushContentInput, context: Partial<SendContext> = {}) => pushCall({ token, platform: "ios" }, content, { now: clock.now(), ...context });
  return {
    fake,
    clock,
    provider,
    started,
    call,
    send: (token: string, content: PushContentInput, context: Partial<SendContext> = {}) => provider.send(call(token, content, context)),
    async close() {
      await started.close();
      await fake.stop();
    },
  };
}
