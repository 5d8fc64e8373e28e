import { z } from "zod";
import { definePlugin, sandboxProvider, Tokens, type PluginContext, type PluginSpec, type Profile, type Provider, type SandboxFailure, type WebhookRequest } from "@nudge/core";
import { aProfile, startChannelPlugin, type InjectedFailure, type StartChannelPluginOptions } from "@nudge/core/testkit";
import { sms } from "../src/index.js";
import type { SmsConfigInput } from "../src/config.js";
import type { SmsContent } from "../src/content.js";

export const SENDER = "+8215880000";
export const KOREAN = "+821012345678";

/** The sms channel as createNudge would build it (config parsed, providers bound), with the sandbox by default. */
export async function smsChannel(input: Partial<SmsConfigInput> = {}, options: StartChannelPluginOptions = {}) {
  return startChannelPlugin<SmsContent>(sms({ senders: [SENDER, "02-1234-5678"], ...input }), options);
}

/**
 * The sandbox provider of the sms kind with a failure armed for the next send only: that send is answered by the
 * core's sandbox set to fail for its recipient, so the error is the sandbox's own.
 */
export function armedSandbox(): { plugin: PluginSpec; failNext(kind: InjectedFailure): void } {
  let next: InjectedFailure | null = null;
  const plugin = definePlugin({
    id: "sandbox",
    kind: "provider",
    channel: "sms",
    configSchema: z.object({}),
    register(ctx) {
      const clean = coreSandbox(ctx, {});
      const provider: Provider = {
        id: "sandbox",
        channel: "sms",
        idempotency: clean.idempotency,
        send(call) {
          const kind = next;
          next = null;
          return kind ? coreSandbox(ctx, { [call.to]: kind }).send(call) : clean.send(call);
        },
      };
      ctx.registerInstance(Tokens.Provider, provider);
    },
  });
  return {
    plugin: plugin({}) as PluginSpec,
    failNext: (kind) => {
      next = kind;
    },
  };
}

/** The provider `sandboxProvider()` registers, built through its public plugin on the caller's context. */
function coreSandbox(ctx: PluginContext, failFor: Record<string, SandboxFailure>): Provider {
  const spec = sandboxProvider({ channel: "sms", failFor });
  let made: Provider | undefined;
  const capture = Object.create(ctx, { registerInstance: { value: (_token: unknown, value: Provider) => (made = value) } }) as PluginContext;
  spec.plugin.register(capture, spec.plugin.configSchema.parse(spec.config));
  if (!made) throw new Error("sandboxProvider registered no provider");
  return made;
}

export function person(phone: string | undefined, over: Partial<Profile> = {}): Profile {
  return aProfile("acme", { userId: "u1", contacts: phone === undefined ? {} : { phone }, ...over });
}

export function jsonRequest(body: unknown, headers: Record<string, string> = {}, query: Record<string, unknown> = {}): WebhookRequest {
  return { headers: { "content-type": "application/json", ...headers }, rawBody: Buffer.from(JSON.stringify(body)), query };
}

export { closedUrl } from "@nudge/core/testkit";
