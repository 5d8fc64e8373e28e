import { definePlugin, Tokens, type Channel, type PluginContext } from "@nudge/core";
import { PushConfig } from "./config.js";
import type { PushProvider } from "./push-provider.js";
import { PushChannel } from "./push.channel.js";
import { PushRouter } from "./push-router.js";

/** The channel kind push providers register for: `definePlugin({ kind: "provider", channel: PUSH })`. */
export const PUSH = "push";

const channels = new WeakMap<PluginContext, PushChannel>();

/**
 * The push channel plugin: `push({ providers: ["fcm", "apns", "webpush"] })`, with the provider plugins
 * (`fcm()`, `apns()`, `webPush()`) in `plugins`. Registers channel "push" (or `id`).
 */
export const push = definePlugin({
  id: "channel-push",
  kind: "channel",
  configSchema: PushConfig,
  register(ctx, config) {
    const router = new PushRouter(ctx.providers<PushProvider>(PUSH, config.providers));
    const channel = new PushChannel(config.id, config.providers, router, config.maxDevices, ctx.logger);
    channels.set(ctx, channel);
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
  async init(ctx) {
    channels.get(ctx)?.checkPlatforms();
  },
});

export { PushConfig, type PushConfigInput } from "./config.js";
export { PushContent, resolveFor, type Platform, type PushContentInput, type ResolvedPush } from "./content.js";
export { pushContactKey, pushError, retryAfterMs, transportError, type FailureKind } from "./errors.js";
export type { PushPayload, PushProvider } from "./push-provider.js";
export { DeviceRegistration, PushTokens, pushTokens } from "./push-tokens.js";
