import { afterEach } from "vitest";
import { storageMemory } from "@nudge/storage-memory";
import { createNudge, FakeClock, sandboxChannel, silentLogger, type EngineSettingsInput, type Nudge } from "@nudge/core";

/** Started instances with the given template settings, each stopped after its test. */
export function templateInstances(): (templates?: EngineSettingsInput["templates"]) => Promise<Nudge> {
  const opened: Nudge[] = [];
  afterEach(async () => {
    for (const n of opened.splice(0)) await n.stop();
  });
  return async (templates = {}) => {
    const nudge = await createNudge({
      workspace: "acme",
      plugins: [storageMemory(), sandboxChannel()],
      logger: silentLogger(),
      clock: new FakeClock("2026-03-02T01:00:00Z"),
      settings: { templates },
    });
    opened.push(nudge);
    await nudge.start();
    return nudge;
  };
}
