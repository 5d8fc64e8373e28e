import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { QueueStats } from "@nudge/core";

/**
 * Waiting and active jobs over every partition, read in one MULTI: an atomic snapshot, so a job that adds a
 * follow-up to another partition and then completes is never missed between two reads.
 */
export async function countJobs(redis: Redis, queues: readonly Queue[]): Promise<QueueStats> {
  const m = redis.multi();
  for (const q of queues) m.llen(q.keys["wait"]!).llen(q.keys["paused"]!).zcard(q.keys["prioritized"]!).zcard(q.keys["delayed"]!).llen(q.keys["active"]!);
  const replies = (await m.exec()) ?? [];
  let waiting = 0;
  let active = 0;
  replies.forEach(([err, n], i) => {
    if (err) throw err;
    if (i % 5 === 4) active += Number(n);
    else waiting += Number(n);
  });
  return { waiting, active };
}
