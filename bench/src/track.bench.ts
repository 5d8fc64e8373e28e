import { randomUUID } from "node:crypto";
import { createNudge, silentLogger } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import type { Benchmark } from "./run.js";
import { record, round } from "./record.js";

const EVENTS = 50_000;

/** track() through the whole engine on storage-memory, next to a plain loop writing the same events into a Map. */
const bench: Benchmark = {
  name: "track",
  async run() {
    const events = Array.from({ length: EVENTS }, (_, i) => ({
      userId: `u${i % 5_000}`,
      event: "page_viewed",
      messageId: randomUUID(),
      properties: { path: `/p/${i}`, n: i },
    }));

    // Baseline: the same events into a Map keyed by messageId (dedupe), one by one.
    const map = new Map<string, unknown>();
    let t = performance.now();
    for (const e of events) if (!map.has(e.messageId)) map.set(e.messageId, { ...e, receivedAt: Date.now() });
    const baseline = EVENTS / ((performance.now() - t) / 1000);

    const nudge = await createNudge({ workspace: "bench", plugins: [storageMemory()], logger: silentLogger() });
    await nudge.start();
    t = performance.now();
    for (const e of events) await nudge.track(e);
    await nudge.drain();
    const engine = EVENTS / ((performance.now() - t) / 1000);
    await nudge.stop();

    record("track", [
      {
        benchmark: "track",
        metric: "events/s, track() + processing, storage-memory, sequential",
        unit: "events/s",
        value: round(engine),
        baseline: "Map.set loop",
        baselineValue: round(baseline),
      },
    ]);
  },
};
export default bench;
