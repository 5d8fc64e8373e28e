export { nudgeRouter } from "./router.js";
export { RouterOptions, ApiKeyOption, ApiKeyScope, RateLimitOptions, type RouterOptionsInput } from "./options.js";
export { ApiKeys, generateApiKey, hashApiKey, type AuthenticatedKey } from "./api-keys.js";
export { ProblemDetails, type Problem } from "./problem.js";
export { RouterMetrics } from "./metrics.js";
