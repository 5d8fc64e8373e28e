export { solapiAuthorization, solapiSignature, randomSalt, parseSolapiAuthorization } from "./solapi-auth.js";
export { SolapiClient, type SolapiAccount, type SolapiSendOutcome } from "./solapi-client.js";
export { solapiHttpError } from "./errors.js";
export { solapiReportStatus } from "./report-status.js";
