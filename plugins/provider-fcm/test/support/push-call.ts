import type { ProviderCall, PushToken, SendContext } from "@nudge/core";
import { aProfile, sendContext } from "@nudge/core/testkit";
import { PushContent, resolveFor, type PushContentInput, type PushPayload } from "@nudge/channel-push";

/** The call the push channel makes for one device: the content resolved for its platform. */
export function pushCall(device: Pick<PushToken, "token" | "platform" | "keys">, content: PushContentInput, over: Partial<SendContext> = {}): ProviderCall<PushPayload> {
  const payload: PushPayload = { platform: device.platform, ...resolveFor(PushContent.parse(content), device.platform), ...(device.keys ? { keys: device.keys } : {}) };
  const person = aProfile("acme", { contacts: { push: [{ ...device }] } });
  return { to: device.token, payload, messageType: "push", context: sendContext(person, { channel: "push", ...over }) };
}

export { closedUrl } from "@nudge/core/testkit";
