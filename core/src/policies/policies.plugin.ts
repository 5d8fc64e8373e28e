import { definePlugin } from "../plugin.js";
import { Tokens } from "../tokens.js";
import { FrequencyCapPolicy } from "./frequency-cap.policy.js";
import { KoreanAdRulesPolicy } from "./korean-ad-rules.policy.js";
import { PoliciesConfig } from "./policies-config.js";
import { QuietHoursPolicy } from "./quiet-hours.policy.js";

/**
 * The generic sending policies, configured per workspace and channel id (no vendor inside):
 * `policies({ quietHours, frequencyCaps, onCapped, koreanAdRules })`. Consent is always on (core);
 * retries, pacing and the deferral age limit are engine settings (`settings.dispatch`).
 */
export const policies = definePlugin({
  id: "policies",
  kind: "policy",
  configSchema: PoliciesConfig,
  register(ctx, config) {
    const zone = ctx.timezone;
    if (config.koreanAdRules) ctx.registerInstance(Tokens.Policy, new KoreanAdRulesPolicy(config.koreanAdRules, zone));
    if (config.quietHours.length > 0) ctx.registerInstance(Tokens.Policy, new QuietHoursPolicy(config.quietHours, zone));
    if (config.frequencyCaps.length > 0) ctx.registerInstance(Tokens.Policy, new FrequencyCapPolicy(config.frequencyCaps, config.onCapped, zone));
  },
});
