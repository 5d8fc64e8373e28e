import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStorageConformance } from "@nudge/core/testkit";
import { storageSqlite } from "@nudge/storage-sqlite";

const dir = mkdtempSync(join(tmpdir(), "nudge-sqlite-conformance-"));

describeStorageConformance("sqlite", () => storageSqlite({ path: join(dir, "nudge.db") }), {
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});
