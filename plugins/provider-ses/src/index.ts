import { definePlugin, Tokens, type PluginContext, type Provider } from "@nudge/core";
import { SesConfig } from "./config.js";
import { SesProvider } from "./ses.provider.js";

const providers = new WeakMap<PluginContext, SesProvider>();

/**
 * The Amazon SES provider of the e-mail channel: `ses({ region, auth, sns? })`, named "ses" in
 * `email({ providers: ["ses"] })`. Sends through SES's SMTP interface (connected and checked in `init`,
 * closed in `close`) and, with `sns`, reads bounce, complaint and delivery notifications from
 * `/v1/webhooks/<channel>/ses`.
 */
export const ses = definePlugin({
  id: "ses",
  kind: "provider",
  channel: "email",
  configSchema: SesConfig,
  register(ctx, config) {
    const provider = new SesProvider(config, ctx.clock, ctx.logger);
    providers.set(ctx, provider);
    ctx.registerInstance(Tokens.Provider, provider as Provider);
  },
  async init(ctx) {
    await providers.get(ctx)?.init();
  },
  async close(ctx) {
    await providers.get(ctx)?.close();
  },
});

export { SesConfig, SnsConfig, type SesConfigInput } from "./config.js";
