import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import pg from "pg";
import { createNudge, sandboxChannel, type PluginSpec } from "@nudge/core";
import { capturingLogger } from "@nudge/core/testkit";
import { nudgeRouter } from "@nudge/express";
import { storagePostgres } from "@nudge/storage-postgres";
import { storageSqlite } from "@nudge/storage-sqlite";
import type { FuzzKeys } from "./hostile-requests.js";

export type FuzzStore = "sqlite" | "postgres";
export const PG_URL = process.env["NUDGE_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
const KEYS: FuzzKeys = { ingest: "nk_ingest_fuzz_0123456789abcdef", admin: "nk_admin_fuzz_0123456789abcdefgh" };

export interface FuzzServer {
  store: FuzzStore;
  /** Where the API answers: the mount point, no trailing slash. */
  url: string;
  keys: FuzzKeys;
  /** What the instance logged at warn and above: the cause of any 5xx. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A real instance behind a listening HTTP server: the quickstart's shape (storage, sandbox channel, the
 * router at /nudge) on SQLite in a temporary file or on PostgreSQL in a schema of its own. Rate limits
 * and the lockout after failed keys are off: the fuzz measures answers, not the limiters.
 */
export async function startFuzzServer(store: FuzzStore): Promise<FuzzServer> {
  const dir = store === "sqlite" ? mkdtempSync(join(tmpdir(), "nudge-fuzz-")) : null;
  const schema = `nudge_fuzz_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const storage: PluginSpec = dir ? storageSqlite({ path: join(dir, "nudge.db") }) : storagePostgres({ url: PG_URL, schema });
  const { logger, lines } = capturingLogger("warn");
  const nudge = await createNudge({ workspace: "fuzz", plugins: [storage, sandboxChannel()], logger, links: { baseUrl: "http://localhost/nudge", secret: "fuzz-link-secret-0123456789abcdef" } });
  await nudge.start();
  const router = nudgeRouter(nudge, {
    keys: [
      { id: "ingest", key: KEYS.ingest, scopes: ["ingest"] },
      { id: "admin", key: KEYS.admin, scopes: ["admin"] },
    ],
    rateLimit: false,
    authLimit: false,
    requestLog: false,
  });
  const app = express().use("/nudge", router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    store,
    url: `http://127.0.0.1:${port}/nudge`,
    keys: KEYS,
    logs: lines,
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await nudge.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
      else {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}
