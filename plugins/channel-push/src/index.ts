import { definePlugin, Tokens, type Channel, type PluginContext } from "@nudge/core";
import { PushConfig } from "./config.js";
import { ApnsProvider } from "./providers/apns.provider.js";
import { FcmProvider } from "./providers/fcm.provider.js";
import { SandboxPushProvider } from "./providers/sandbox.provider.js";
import { WebPushProvider } from "./providers/webpush.provider.js";
import { PushChannel } from "./push.channel.js";
import { PushRouter } from "./push-router.js";

const channels = new WeakMap<PluginContext, PushChannel>();

/**
 * The push channel plugin: `push({ fcm?, apns?, webpush? } | { sandbox })`. Registers channel "push"
 * (or `id`); imports keys in `init` (bad keys fail at boot), closes the APNs connection in `close`.
 */
export const push = definePlugin({
  id: "channel-push",
  kind: "channel",
  configSchema: PushConfig,
  register(ctx, config) {
    const { clock, logger } = ctx;
    const router = new PushRouter(
      config.sandbox
        ? { sandbox: new SandboxPushProvider(config.id, { ...config.sandbox, provider: "sandbox" }, ctx.resolve(Tokens.SandboxOutbox), clock) }
        : {
            ...(config.fcm ? { fcm: new FcmProvider(config.fcm, clock, logger, config.timeoutMs) } : {}),
            ...(config.apns ? { apns: new ApnsProvider(config.apns, clock, logger, config.timeoutMs) } : {}),
            ...(config.webpush ? { webpush: new WebPushProvider(config.webpush, clock, config.timeoutMs) } : {}),
          },
      config.iosVia,
    );
    const channel = new PushChannel(config.id, router, config.maxDevices, logger);
    channels.set(ctx, channel);
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
  async init(ctx) {
    await channels.get(ctx)?.init();
  },
  async close(ctx) {
    await channels.get(ctx)?.close();
  },
});

export { ApnsConfig, FcmConfig, PushConfig, ServiceAccount, WebPushConfig, type PushConfigInput } from "./config.js";
export { PushContent, resolveFor, type Platform, type PushContentInput, type ResolvedPush } from "./content.js";
export { apnsFailure, fcmFailure, webPushFailure, noDeviceAccepted, type DeviceOutcome, type FailureKind } from "./errors.js";
export { PushChannel } from "./push.channel.js";
export { PushRouter } from "./push-router.js";
export { DeviceRegistration, PushTokens, pushTokens } from "./push-tokens.js";
export { ApnsProvider } from "./providers/apns.provider.js";
export { ApnsProviderToken } from "./providers/apns-provider-token.js";
export { FcmProvider } from "./providers/fcm.provider.js";
export { GoogleAccessToken } from "./providers/google-access-token.js";
export { WebPushProvider, payloadOf } from "./providers/webpush.provider.js";
export { SandboxPushProvider } from "./providers/sandbox.provider.js";
export type { DeviceSend, PushProvider } from "./providers/push-provider.js";
