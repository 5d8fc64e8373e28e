import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock, createNudge, sandboxChannel, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { keepRawBody, nudgeRouter, problemErrorHandler, type RouterOptionsInput } from "../src/index.js";
import { ADMIN_KEY, INGEST_KEY, bearer } from "./helpers.js";

/**
 * The host-app code of docs/http-api.md and the package README, run as written: every TypeScript block
 * there that shows mounting, the error handler, auth limits or metrics is found, line for line, in this file.
 */
const root = resolve(import.meta.dirname, "../../..");
const DOCS = ["docs/http-api.md", "adapters/express/README.md"];
const FEATURES = /keepRawBody|rawBody|problemErrorHandler|authLimit|publicMetrics|express\.json|express\.Router/;

const stops: Nudge[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((n) => n.stop()));
});

async function instance(lines: string[] = [], clock = new FakeClock()): Promise<{ nudge: Nudge; keys: RouterOptionsInput["keys"] }> {
  const logger = pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }));
  const nudge = await createNudge({ workspace: "docs", plugins: [storageMemory(), sandboxChannel()], logger, clock });
  await nudge.start();
  stops.push(nudge);
  const keys = [
    { id: "web", key: INGEST_KEY, scopes: ["ingest" as const] },
    { id: "ops", key: ADMIN_KEY, scopes: ["admin" as const] },
  ];
  return { nudge, keys };
}

const trimmed = (text: string) => text.split("\n").map((l) => l.trim()).join("\n");

describe("the host code in the HTTP docs", () => {
  it("is quoted line for line from this file", () => {
    const self = trimmed(readFileSync(import.meta.filename, "utf8"));
    let quoted = 0;
    for (const doc of DOCS) {
      for (const [, block] of readFileSync(resolve(root, doc), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)) {
        if (!FEATURES.test(block!)) continue;
        expect(self, `${doc}: not in ${import.meta.filename}:\n${block}`).toContain(trimmed(block!.trim()));
        quoted++;
      }
    }
    expect(quoted).toBeGreaterThanOrEqual(5);
  });

  it("mounting after express.json(): the raw body is kept for webhooks, host routes answer problem JSON", async () => {
    const { nudge, keys } = await instance();
    const app = express();
    app.use(express.json({ verify: keepRawBody }));
    app.use("/nudge", nudgeRouter(nudge, { keys }));

    app.post("/signup", async (req, res) => {
      await nudge.track({ userId: req.body.userId, event: "signed_up" });
      res.sendStatus(204);
    });
    app.use(problemErrorHandler({ logger: nudge.logger }));

    await request(app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "e" }).expect(202);
    await request(app).post("/signup").send({ userId: "u2" }).expect(204);
    const bad = await request(app).post("/signup").send({ userId: "" }).expect(400);
    expect(bad.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ code: "NUDGE_VALIDATION", errors: [expect.objectContaining({ path: "userId" })] });
    const malformed = await request(app).post("/signup").set("Content-Type", "application/json").send("{oops").expect(400);
    expect(malformed.body.code).toBe("NUDGE_MALFORMED_BODY");
  });

  it("mounted through an express.Router, the app adds the error handler on the same path", async () => {
    const { nudge, keys } = await instance();
    const app = express();
    app.use(express.json());
    const api = express.Router();
    api.use("/nudge", nudgeRouter(nudge, { keys }));
    app.use(api);
    app.use("/nudge", problemErrorHandler({ logger: nudge.logger }));

    const res = await request(app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).set("Content-Type", "application/json").send("{oops").expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    await request(app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "e" }).expect(202);
  });

  it("auth limits and public metrics, configured as documented", async () => {
    const lines: string[] = [];
    const clock = new FakeClock();
    const { nudge, keys } = await instance(lines, clock);
    const app = express();
    app.use("/nudge", nudgeRouter(nudge, { keys, authLimit: { windowMs: 15 * 60_000, perAddress: 20, perKeyPrefix: 100, prefixLength: 12 } }));
    for (let i = 0; i < 20; i++) await request(app).get("/nudge/v1/messages").set(bearer(`wrong-${i}-${"k".repeat(24)}`)).expect(401);
    await request(app).get("/nudge/v1/messages").set(bearer(ADMIN_KEY)).expect(429);
    clock.advance(15 * 60_000);
    const scraped = await request(app).get("/nudge/metrics").set(bearer(ADMIN_KEY)).expect(200);
    expect(scraped.text).toContain('nudge_auth_lockouts_total{by="address",workspace="docs"} 1');
    expect(lines.join("")).not.toContain("/metrics is public");

    const scraper = express();
    scraper.use("/nudge", nudgeRouter(nudge, { keys, publicMetrics: true }));
    expect((await request(scraper).get("/nudge/metrics").expect(200)).text).toContain("nudge_http_request_duration_seconds");
    expect(lines.join("")).toContain("/metrics is public");
  });
});
