import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect } from "vitest";
import { capturingLogger, deleteKeys, makeQueues, REDIS, sleep, uniquePrefix, redisSuite } from "./redis-test-env.js";

const prefix = uniquePrefix();
const queues = makeQueues(prefix);
// One partition, so the dead job and the key's next job share it; a short lock and stall check, so the test is quick.
const stall = { concurrency: 1, lockDuration: 1_000, stalledInterval: 500 };
const children: ChildProcess[] = [];
const redis = redisSuite();
const it = redis.it;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  if (!redis.reachable()) return;
  await queues.closeAll();
  await deleteKeys(prefix);
});

/** Another process working the workspace's queue: resolves `running` with the data of the job it is stuck in. */
function dyingWorker(workspace: string) {
  const child = fork(join(import.meta.dirname, "dying-worker.mjs"), [], {
    env: { ...process.env, QUEUE_CONFIG: JSON.stringify({ connection: REDIS, prefix, ...stall }), QUEUE_WORKSPACE: workspace },
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  children.push(child);
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const message = (field: "ready" | "running") =>
    new Promise<unknown>((resolve, reject) => {
      child.on("message", (m: Record<string, unknown>) => {
        if (field in m) resolve(m[field]);
      });
      void exited.then(() => reject(new Error(`the worker process exited early (it runs the built packages: run npx tsc -b): ${stderr}`)));
    });
  const kill = async () => {
    child.kill("SIGKILL");
    await exited;
  };
  return { ready: message("ready"), running: message("running"), kill };
}

describe("queue-bullmq: a worker process dying mid-job", () => {
  it("the stall check puts the job back once its lock expires, and it runs again before its key's next job", async () => {
    const child = dyingWorker("stall");
    await child.ready;
    const producer = queues.make("stall", { ...stall, worker: false });
    producer.process("step", async () => undefined);
    await producer.add({ name: "step", key: "k", data: { n: 1 } });
    await producer.add({ name: "step", key: "k", data: { n: 2 } });
    expect(await child.running).toEqual({ n: 1 });

    // A second process is up while the first still holds job 1: the partition runs one job at a time, so job 2 waits.
    const { logger, lines } = capturingLogger();
    const survivor = queues.make("stall", stall, logger);
    const ran: number[] = [];
    survivor.process("step", async (d) => void ran.push(Number(d["n"])));
    await survivor.start();
    await sleep(1_500); // longer than the lock: the living process renews it, so nothing is taken for stalled
    expect(ran).toEqual([]);
    expect(lines.filter((l) => String(l["msg"]).startsWith("job stalled"))).toEqual([]);

    await child.kill(); // SIGKILL: no close, no more lock renewals
    const killedAt = Date.now();
    await survivor.onIdle();
    expect(ran).toEqual([1, 2]);
    // Lock expiry (1 s) plus up to two stall checks (0.5 s each), with room for a slow machine.
    expect(Date.now() - killedAt).toBeLessThan(8_000);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, msg: expect.stringContaining("job stalled"), partition: 0 }));
    expect(await survivor.stats()).toEqual({ waiting: 0, active: 0 });
  }, 30_000);
});
