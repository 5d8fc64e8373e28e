export * from "./clock.js";
export * from "./logger.js";
export * from "./stores.js";
export * from "./job-queue.js";
export * from "./channel.js";
export * from "./policy.js";
export * from "./trigger-source.js";
export { registerStores, type StorageStores } from "./register-stores.js";
export * from "./provider.js";
