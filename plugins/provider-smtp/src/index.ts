import { definePlugin, Tokens, type PluginContext, type Provider } from "@nudge/core";
import { SmtpConfig } from "./config.js";
import { SmtpProvider } from "./smtp.provider.js";

const providers = new WeakMap<PluginContext, SmtpProvider>();

/**
 * The SMTP provider of the e-mail channel: `smtp({ host, port, auth, ... })`, named "smtp" in
 * `email({ providers: ["smtp"] })`. Connects (and checks the credentials) in `init`, closes the pool in `close`.
 */
export const smtp = definePlugin({
  id: "smtp",
  kind: "provider",
  channel: "email",
  configSchema: SmtpConfig,
  register(ctx, config) {
    const provider = new SmtpProvider(config, ctx.logger);
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

export { SmtpConfig, type SmtpConfigInput } from "./config.js";
// Building blocks for providers that speak SMTP to their service (provider-ses).
export { SmtpProvider, sesMessageId, type SmtpProviderOptions } from "./smtp.provider.js";
export { mapSmtpError, SMTP_WORDING, type SmtpErrorWording } from "./errors.js";
