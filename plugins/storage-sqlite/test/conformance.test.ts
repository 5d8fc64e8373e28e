import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStorageConformance } from "@nudge/core/testkit";
import { storageSqlite } from "@nudge/storage-sqlite";

for (const eventWriter of ["thread", "inline"] as const) {
  // The event log written by its thread (the default) and on the main connection (as an in-memory database always is).
  const dir = mkdtempSync(join(tmpdir(), "nudge-sqlite-conformance-"));
  describeStorageConformance(eventWriter === "thread" ? "sqlite" : "sqlite, event log written inline", () => storageSqlite({ path: join(dir, "nudge.db"), eventWriter }), {
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  });
}
