export * from "./sms/index.js";
export * from "./kakao/index.js";
