import { z } from "zod";
import {
  ChannelRejectedError,
  ChannelUnavailableError,
  definePlugin,
  RateLimitedError,
  RecipientUnreachableError,
  Tokens,
  WebhookSignatureError,
  type FieldIssue,
  type PluginSpec,
  type Provider,
  type ProviderCall,
} from "@nudge/core";
import type { InjectedFailure } from "@nudge/core/testkit";
import type { KakaoPayload, KakaoProvider } from "../src/provider.js";

/**
 * A kakao provider plugin whose answers the test picks: it records every call, fails the next one on request,
 * takes webhooks carrying `x-scripted: ok`, and can refuse content through `issues`. It stands in for a vendor
 * so the channel's own part (payloads, failover, delegation by provider id) is tested without one.
 */
export function scriptedKakao(id: string, options: { issues?: (p: KakaoPayload) => FieldIssue[] } = {}) {
  const calls: ProviderCall<KakaoPayload>[] = [];
  let next: Error | null = null;
  const provider: KakaoProvider = {
    id,
    channel: "kakao",
    idempotency: "key",
    ...(options.issues ? { issues: options.issues } : {}),
    async send(call) {
      calls.push(call);
      const e = next;
      next = null;
      if (e) throw e;
      return { providerMessageId: `${id}-${calls.length}`, status: "sent" };
    },
    async parseWebhook(req) {
      if (req.headers["x-scripted"] !== "ok") throw new WebhookSignatureError(`${id} webhook`, "headers.x-scripted", "does not match");
      const body = JSON.parse(req.rawBody.toString("utf8")) as { id: string };
      return { reports: [{ providerMessageId: body.id, status: "delivered", at: 0 }] };
    },
    async poll(providerMessageId, messageType) {
      return { providerMessageId, status: "delivered", providerCode: `${id}:${messageType}`, at: 0 };
    },
  };
  const plugin = definePlugin({
    id,
    kind: "provider",
    channel: "kakao",
    configSchema: z.object({}),
    register(ctx) {
      ctx.registerInstance(Tokens.Provider, provider as Provider);
    },
  });
  return {
    spec: plugin({}) as PluginSpec,
    calls,
    /** The next send throws this error. */
    failWith(error: Error) {
      next = error;
    },
    /** The next send fails the way a vendor's documented error of this kind maps. */
    failNext(kind: InjectedFailure) {
      const opts = { providerCode: `scripted_${kind}` };
      next =
        kind === "permanent"
          ? new ChannelRejectedError("rejected", opts)
          : kind === "unreachable"
            ? new RecipientUnreachableError("unreachable", opts)
            : kind === "transient"
              ? new ChannelUnavailableError("unavailable", opts)
              : new RateLimitedError("rate limited", opts);
    },
  };
}
