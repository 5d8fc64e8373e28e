import { z } from "zod";
import { defineProvider, type PluginSpec } from "../plugin.js";
import { Tokens } from "../tokens.js";
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
  const plugin = defineProvider({
    id: "sandbox",
    channel: config.channel,
    configSchema: Config,
    create: (ctx, c) => new SandboxProvider(c.channel, c, ctx.resolve(Tokens.SandboxOutbox), ctx.clock),
  });
  return plugin(config) as PluginSpec;
}
