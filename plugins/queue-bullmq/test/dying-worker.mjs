// A worker process for stall.test.ts. It runs the BUILT packages (dist: run `npx tsc -b` first), takes one job and
// stays in it until the test kills it with SIGKILL: a process dying mid-job, with no close and no lock renewal.
import { silentLogger } from "@nudge/core";
import { BullmqQueue, BullmqQueueConfig } from "@nudge/queue-bullmq";

const config = BullmqQueueConfig.parse(JSON.parse(process.env["QUEUE_CONFIG"] ?? "{}"));
const queue = new BullmqQueue(silentLogger(), config, process.env["QUEUE_WORKSPACE"] ?? "");
queue.process("step", (data) => {
  process.send?.({ running: data });
  return new Promise(() => undefined); // never settles
});
await queue.start();
process.send?.({ ready: true });
