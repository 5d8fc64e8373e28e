import { defineProvider } from "@nudge/core";
import { SmtpConfig } from "./config.js";
import { SmtpProvider } from "./smtp.provider.js";

/**
 * The SMTP provider of the e-mail channel: `smtp({ host, port, auth, ... })`, named "smtp" in
 * `email({ providers: ["smtp"] })`. Connects (and checks the credentials) in `init`, closes the pool in `close`.
 */
export const smtp = defineProvider({
  id: "smtp",
  channel: "email",
  configSchema: SmtpConfig,
  create: (ctx, config) => new SmtpProvider(config, ctx.logger),
});

export { SmtpConfig, type SmtpConfigInput } from "./config.js";
// Building blocks for providers that speak SMTP to their service (provider-ses).
export { SmtpProvider, sesMessageId, type SmtpProviderOptions } from "./smtp.provider.js";
export { mapSmtpError, SMTP_WORDING, type SmtpErrorWording } from "./errors.js";
