export { policies } from "./policies.plugin.js";
export { PoliciesConfig, QuietHoursRule, FrequencyCap, KoreanAdRulesConfig, AdChannelRules, type PoliciesConfigInput } from "./policies-config.js";
export { QuietHoursPolicy } from "./quiet-hours.policy.js";
export { FrequencyCapPolicy } from "./frequency-cap.policy.js";
export { KoreanAdRulesPolicy, AD_LABEL } from "./korean-ad-rules.policy.js";
export { DailyWindow } from "./daily-window.js";
export { recipientZone, isKoreanNumber } from "./recipient-zone.js";
