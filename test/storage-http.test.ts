import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import pg from "pg";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, type Nudge, type PluginSpec } from "@nudge/core";
import { serviceAvailable } from "@nudge/core/testkit";
import { nudgeRouter } from "@nudge/express";
import { storagePostgres } from "@nudge/storage-postgres";
import { storageSqlite } from "@nudge/storage-sqlite";
import { TcpProxy } from "../plugins/storage-postgres/test/tcp-proxy.js";

const KEY = "nk_ingest_storage_faults_0123456789";
const auth = { authorization: `Bearer ${KEY}` };
const dir = mkdtempSync(join(tmpdir(), "nudge-storage-http-"));
const PG_URL = "postgres://postgres@127.0.0.1:5432/test";
const schema = `nudge_http_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
let pgUsed = false;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!pgUsed) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

async function serve(storage: PluginSpec): Promise<{ nudge: Nudge; app: express.Express }> {
  const nudge = await createNudge({ workspace: "acme", plugins: [storage], logger: silentLogger(), clock: new FakeClock() });
  await nudge.start();
  const app = express().use("/n", nudgeRouter(nudge, { keys: [{ id: "ingest", key: KEY, scopes: ["ingest"] }] }));
  return { nudge, app };
}

describe("storage faults over HTTP", () => {
  it("SQLite disk full: the request gets 503 with Retry-After, the process keeps answering", async () => {
    const { nudge, app } = await serve(storageSqlite({ path: join(dir, "full.db"), maxSizeMb: 1 }));
    const blob = "x".repeat(30_000);
    let status = 202;
    for (let i = 0; i < 500 && status === 202; i++) {
      status = (await request(app).post("/n/v1/track").set(auth).send({ userId: `u${i}`, event: "filled", properties: { blob } })).status;
    }
    expect(status).toBe(503);
    const res = await request(app).post("/n/v1/track").set(auth).send({ userId: "late", event: "filled", properties: { blob } });
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toBeDefined();
    expect(JSON.stringify(res.body)).toMatch(/NUDGE_STORAGE_UNAVAILABLE/);
    await request(app).get("/n/healthz").expect(200);
    await nudge.stop();
  });

  it("PostgreSQL lost: readiness turns 503, ingestion answers 503 instead of accepting; both recover", async (ctx) => {
    const up = await serviceAvailable("PostgreSQL", "127.0.0.1", 5432);
    if (up !== true) ctx.skip(up);
    pgUsed = true;
    const proxy = new TcpProxy("127.0.0.1", 5432);
    await proxy.up();
    const { nudge, app } = await serve(
      storagePostgres({ url: `postgres://postgres@127.0.0.1:${proxy.port}/test`, schema, retry: { attempts: 2, baseDelayMs: 20, maxDelayMs: 50 } }),
    );
    await request(app).get("/n/readyz").expect(200);
    await request(app).post("/n/v1/track").set(auth).send({ userId: "u1", event: "before" }).expect(202);

    await proxy.down();
    await request(app).get("/n/readyz").expect(503);
    const refused = await request(app).post("/n/v1/track").set(auth).send({ userId: "u1", event: "during", messageId: "during-outage" });
    expect(refused.status).toBe(503);

    await proxy.up();
    await request(app).get("/n/readyz").expect(200);
    // The client retries what was refused; it is stored once.
    await request(app).post("/n/v1/track").set(auth).send({ userId: "u1", event: "during", messageId: "during-outage" }).expect(202);
    await nudge.stop();
    await proxy.down();
  });
});
