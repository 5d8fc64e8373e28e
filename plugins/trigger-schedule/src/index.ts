import { definePlugin, Tokens, type PluginContext } from "@nudge/core";
import { ScheduleConfig } from "./config.js";
import { ScheduleSource } from "./schedule-source.js";

const sources = new WeakMap<PluginContext, ScheduleSource>();

/**
 * `triggerSchedule()`: runs journeys whose trigger is `{ type: "schedule", cron, timezone, segment? }`
 * (cron by croner; in the workspace's zone, an IANA zone, or each recipient's own zone).
 */
export const triggerSchedule = definePlugin({
  id: "trigger-schedule",
  kind: "trigger",
  configSchema: ScheduleConfig,
  register(ctx, config) {
    const source = new ScheduleSource(config, ctx, ctx.logger);
    sources.set(ctx, source);
    ctx.registerInstance(Tokens.TriggerSource, source);
  },
  async init(ctx) {
    sources.get(ctx)?.init();
  },
});

export { ScheduleConfig, type ScheduleConfigInput } from "./config.js";
export { ScheduleSource, SCHEDULE_TICK_JOB } from "./schedule-source.js";
export { occurrences } from "./occurrences.js";
