import { describeQueueConformance } from "@nudge/core/testkit";
import { BullmqQueue, BullmqQueueConfig } from "@nudge/queue-bullmq";
import { deleteKeys, REDIS, redisAvailable, uniquePrefix } from "./redis-test-env.js";

const prefix = uniquePrefix();

// Each queue the kit makes is its own workspace under this run's prefix; every key is deleted afterwards.
describeQueueConformance(
  "bullmq",
  ({ name, maxWaiting, logger }) => new BullmqQueue(logger, BullmqQueueConfig.parse({ connection: REDIS, prefix, maxWaiting }), name),
  { available: redisAvailable, cleanup: () => deleteKeys(prefix), quietMs: 300 },
);
