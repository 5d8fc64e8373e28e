export { nudgeRouter } from "./router.js";
export { RouterOptions, ApiKeyOption, ApiKeyScope, RateLimitOptions, AuthLimitOptions, type RouterOptionsInput } from "./options.js";
export { ApiKeys, generateApiKey, hashApiKey, type AuthenticatedKey } from "./api-keys.js";
export { ProblemDetails, type Problem } from "./problem.js";
export { problemErrorHandler, type ProblemErrorHandlerOptions } from "./error-handler.js";
export { keepRawBody } from "./host-body.js";
export { RouterMetrics } from "./metrics.js";
