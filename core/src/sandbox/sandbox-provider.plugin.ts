import { z } from "zod";
import { definePlugin, type PluginSpec } from "../plugin.js";
import { Tokens } from "../tokens.js";
import type { Provider } from "../ports/provider.js";
import { SandboxProvider, SandboxProviderConfig } from "./sandbox-provider.js";

const Config = SandboxProviderConfig.extend({
  /** The channel kind it stands in for: "sms", "kakao", "email", "push" ... */
  channel: z.string().min(1),
});
export type SandboxProviderInput = z.input<typeof Config>;

/**
 * `sandboxProvider({ channel: "sms", failFor: { "+821012345678": "permanent" } })`: the sandbox provider of
 * one channel kind with injected failures. Channels that list "sandbox" get a failure-free one without it.
 */
export function sandboxProvider(config: SandboxProviderInput): PluginSpec {
  const plugin = definePlugin({
    id: "sandbox",
    kind: "provider",
    channel: config.channel,
    configSchema: Config,
    register(ctx, c) {
      const provider = new SandboxProvider(c.channel, c, ctx.resolve(Tokens.SandboxOutbox), ctx.clock);
      ctx.registerInstance(Tokens.Provider, provider as Provider);
    },
  });
  return plugin(config) as PluginSpec;
}
