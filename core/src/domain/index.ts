export * from "./common.js";
export * from "./profile.js";
export * from "./event.js";
export * from "./segment.js";
export * from "./trigger.js";
export * from "./journey.js";
export * from "./message.js";
export * from "./template.js";
