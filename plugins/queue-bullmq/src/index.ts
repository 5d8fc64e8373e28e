import { definePlugin, Tokens, type PluginContext } from "@nudge/core";
import { BullmqQueue } from "./bullmq-queue.js";
import { BullmqQueueConfig } from "./config.js";

const queues = new WeakMap<PluginContext, BullmqQueue>();

/**
 * `queueBullmq({ connection })`: the instance's JobQueue on BullMQ and Redis, so jobs survive restarts and
 * several processes share the work. One key's jobs still run one at a time, in the order added.
 */
export const queueBullmq = definePlugin({
  id: "queue-bullmq",
  kind: "queue",
  configSchema: BullmqQueueConfig,
  register(ctx, config) {
    const queue = new BullmqQueue(ctx.logger, config, ctx.workspace);
    queues.set(ctx, queue);
    ctx.registerInstance(Tokens.JobQueue, queue);
  },
  async init(ctx) {
    await queues.get(ctx)?.connect();
  },
  async close(ctx) {
    await queues.get(ctx)?.close();
  },
});

export { BullmqQueueConfig, type BullmqQueueConfigInput } from "./config.js";
export { BullmqQueue } from "./bullmq-queue.js";
export { partitionOf } from "./partition.js";
