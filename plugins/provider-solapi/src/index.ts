export { solapiAuthorization, solapiSignature, randomSalt, parseSolapiAuthorization } from "./solapi-auth.js";
export { SolapiClient, type SolapiAccount, type SolapiSendOutcome } from "./solapi-client.js";
export { solapiHttpError, solapiMessageError } from "./errors.js";
export { solapiReportStatus } from "./report-status.js";
export { solapiOutcome, SOLAPI_STATUS_CODES, SOLAPI_DEAD_NUMBER, SOLAPI_OPT_OUT, SOLAPI_STATUS_CODES_URL, type SolapiOutcome } from "./status-codes.js";
export * from "./sms/index.js";
export * from "./kakao/index.js";
