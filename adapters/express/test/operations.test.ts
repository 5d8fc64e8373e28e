import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock, Tokens, createNudge, definePlugin, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { z } from "zod";
import { nudgeRouter } from "../src/index.js";
import { errorHandler } from "../src/problem.js";
import { redactUrl } from "../src/request-log.js";
import { ADMIN_KEY, INGEST_KEY, bearer, makeApp } from "./helpers.js";

const stops: Nudge[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((n) => n.stop()));
});

/** A storage health probe that can be switched off. */
function healthPlugin(state: { up: boolean }) {
  return definePlugin({
    id: "health-probe",
    kind: "storage",
    configSchema: z.object({}),
    register(ctx) {
      ctx.registerInstance(Tokens.StorageHealth, {
        ping: async () => {
          if (!state.up) throw new Error("connection refused");
        },
      });
    },
  })();
}

describe("probes", () => {
  it("healthz answers; readyz checks the instance and the storage probe", async () => {
    const storage = { up: true };
    const t = await makeApp({ plugins: [healthPlugin(storage)] });
    stops.push(t.nudge);
    expect((await request(t.app).get("/nudge/healthz").expect(200)).body).toEqual({ status: "ok", workspace: "acme" });
    expect((await request(t.app).get("/nudge/readyz").expect(200)).body).toEqual({ status: "ok", workspace: "acme", storage: "ok" });
    storage.up = false;
    const down = await request(t.app).get("/nudge/readyz").expect(503);
    expect(down.body.code).toBe("NUDGE_STORAGE_UNAVAILABLE");
    expect(down.headers["retry-after"]).toBe("5");
  });

  it("readyz without a storage probe says unchecked; 503 before start and after stop", async () => {
    const t = await makeApp({ start: false });
    await request(t.app).get("/nudge/readyz").expect(503);
    await t.nudge.start();
    expect((await request(t.app).get("/nudge/readyz").expect(200)).body.storage).toBe("unchecked");
    await t.nudge.stop();
    await request(t.app).get("/nudge/readyz").expect(503);
    await request(t.app).get("/nudge/healthz").expect(200);
  });
});

describe("metrics", () => {
  it("Prometheus text: events ingested, messages by channel and status, queue depth, request latency", async () => {
    const t = await makeApp();
    stops.push(t.nudge);
    await t.nudge.journeys.put({ id: "j", trigger: { type: "event", event: "go" }, steps: [{ id: "s", type: "send", channel: "sandbox", content: { text: "hi" } }] });
    await t.nudge.journeys.publish("j");
    await request(t.app).post("/nudge/v1/identify").set(bearer(INGEST_KEY)).send({ userId: "u1" }).expect(202);
    await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "go" }).expect(202);
    await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({}).expect(400);
    await t.nudge.drain();
    const res = await request(t.app).get("/nudge/metrics").set(bearer(ADMIN_KEY)).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toContain('nudge_events_ingested_total{type="track",workspace="acme"} 1');
    expect(res.text).toContain('nudge_events_ingested_total{type="identify",workspace="acme"} 1');
    expect(res.text).toContain('nudge_messages_total{channel="sandbox",status="sent",workspace="acme"} 1');
    expect(res.text).toMatch(/nudge_queue_jobs\{state="waiting",workspace="acme"\} 0/);
    expect(res.text).toMatch(/nudge_http_request_duration_seconds_count\{[^}]*method="POST",route="\/v1\/track",status="202"[^}]*\} 1\n/);
    expect(res.text).toContain('route="/v1/track",status="400"');
  });

  it("each router has its own registry: two instances in one process do not mix", async () => {
    const a = await makeApp({ workspace: "wa" });
    const b = await makeApp({ workspace: "wb" });
    stops.push(a.nudge, b.nudge);
    await request(a.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u", event: "e" }).expect(202);
    expect((await request(a.app).get("/nudge/metrics").set(bearer(ADMIN_KEY))).text).toContain('nudge_events_ingested_total{type="track",workspace="wa"} 1');
    expect((await request(b.app).get("/nudge/metrics").set(bearer(ADMIN_KEY))).text).not.toContain('type="track"');
  });

  it("asks for an admin key by default, and the boot log says nothing about it being public", async () => {
    const lines: string[] = [];
    const t = await makeApp({ logger: pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, d) => (lines.push(c.toString()), d()) })) });
    stops.push(t.nudge);
    const none = await request(t.app).get("/nudge/metrics").expect(401);
    expect(none.headers["content-type"]).toMatch(/^application\/problem\+json/);
    await request(t.app).get("/nudge/metrics").set(bearer(INGEST_KEY)).expect(403);
    await request(t.app).get("/nudge/metrics").set(bearer(ADMIN_KEY)).expect(200);
    expect(lines.join("")).not.toContain("/metrics is public");
  });

  it("publicMetrics: true serves it without a key, and the router's logger says so when it is mounted", async () => {
    const lines: string[] = [];
    const t = await makeApp({ router: { publicMetrics: true }, logger: pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, d) => (lines.push(c.toString()), d()) })) });
    stops.push(t.nudge);
    await request(t.app).get("/nudge/metrics").expect(200);
    const boot = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).find((e) => e.msg.startsWith("/metrics is public"));
    expect(boot).toMatchObject({ level: 40, msg: expect.stringContaining("publicMetrics: true") });
  });

  it("the boot log names the router's protections, and warns about each one turned off", async () => {
    const capture = () => {
      const lines: string[] = [];
      const logger = pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, d) => (lines.push(c.toString()), d()) }));
      return { logger, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e["component"] === "http") };
    };
    const on = capture();
    stops.push((await makeApp({ logger: on.logger })).nudge);
    expect(on.entries().find((e) => e["msg"] === "http protections")).toMatchObject({ level: 30, authLimit: "100 per address, 100 per key prefix, per 15 min", rateLimit: "on", metrics: "admin key" });
    expect(on.entries().filter((e) => e["level"] === 40)).toEqual([]);
    const off = capture();
    stops.push((await makeApp({ logger: off.logger, router: { authLimit: false, rateLimit: false, publicMetrics: true } })).nudge);
    expect(off.entries().find((e) => e["msg"] === "http protections")).toMatchObject({ authLimit: "off", rateLimit: "off", metrics: "public" });
    const warned = off.entries().filter((e) => e["level"] === 40).map((e) => String(e["msg"]));
    expect(warned).toEqual([expect.stringContaining("authLimit: false"), expect.stringContaining("rateLimit: false"), expect.stringContaining("publicMetrics: true")]);
  });
});

describe("OpenAPI", () => {
  it("describes every mounted route from the zod schemas, with scopes and problem responses", async () => {
    const t = await makeApp();
    stops.push(t.nudge);
    const doc = (await request(t.app).get("/nudge/openapi.json").expect(200)).body;
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "/nudge" }]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/track", "/v1/identify", "/v1/batch", "/v1/journeys/{id}", "/v1/journeys/{id}/publish", "/v1/segments/preview", "/v1/templates/{id}/render", "/v1/profiles/{userId}/subscriptions", "/v1/messages", "/v1/webhooks/{channel}/{provider}", "/l/{token}", "/u/{token}", "/healthz", "/readyz", "/metrics", "/openapi.json"]),
    );
    const track = doc.paths["/v1/track"].post;
    expect(track["x-nudge-scope"]).toBe("ingest");
    expect(track.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(track.responses)).toEqual(expect.arrayContaining(["202", "400", "401", "403", "413", "415", "429"]));
    const body = doc.components.schemas[track.requestBody.content["application/json"].schema.$ref.split("/").pop()];
    expect(body.properties.event).toMatchObject({ type: "string", minLength: 1 });
    expect(body.required).toEqual(["event"]);
    const batch = doc.components.schemas[doc.paths["/v1/batch"].post.requestBody.content["application/json"].schema.$ref.split("/").pop()];
    expect(batch.properties.batch.maxItems).toBe(500);
    // The router checks only the envelope at run time; the document still shows the core's item schema.
    const itemSchemas = JSON.stringify(batch.properties.batch.items);
    expect(itemSchemas).toContain('"track"');
    expect(itemSchemas).toContain('"identify"');
    expect(itemSchemas).toContain('"event"');
    expect(doc.paths["/v1/messages"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["userId", "journeyId", "status", "channel", "cursor", "limit"]);
    expect(doc.paths["/l/{token}"].get.security).toEqual([]);
    // Every $ref resolves inside the document (no dangling or nested refs from recursive schemas).
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) {
      const id = /#\/components\/schemas\/([^"#/]+)"$/.exec(r)?.[1];
      expect(id, r).toBeDefined();
      expect(doc.components.schemas[id!], r).toBeDefined();
    }
  });
});

describe("request logs", () => {
  it("log method, masked path and status; never the Authorization header, query strings or personal data", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const t = await makeApp({ logger: pino({ level: "info" }, sink) });
    stops.push(t.nudge);
    await request(t.app).post("/nudge/v1/identify").set(bearer(INGEST_KEY)).send({ userId: "jisoo-kim", traits: { email: "jisoo@example.com" } }).expect(202);
    await request(t.app).get("/nudge/v1/profiles/jisoo-kim?x=secret-query").set(bearer(ADMIN_KEY)).set("X-Request-Id", "req-42").expect(200);
    const log = lines.join("");
    const entries = lines.map((l) => JSON.parse(l) as { req?: { url: string; id: string }; res?: { statusCode: number } }).filter((e) => e.req);
    expect(entries.map((e) => e.req!.url)).toEqual(["/nudge/v1/identify", "/nudge/v1/profiles/:redacted"]);
    expect(entries[1]).toMatchObject({ req: { id: "req-42" }, res: { statusCode: 200 } });
    for (const secret of [INGEST_KEY, ADMIN_KEY, "jisoo", "secret-query", "Bearer", "authorization"]) expect(log).not.toContain(secret);
  });

  it("masks link tokens and user ids in paths", () => {
    expect(redactUrl("/nudge/l/abc.def?x=1")).toBe("/nudge/l/:redacted");
    expect(redactUrl("/nudge/u/abc.def")).toBe("/nudge/u/:redacted");
    expect(redactUrl("/nudge/v1/profiles/u1/subscriptions")).toBe("/nudge/v1/profiles/:redacted/subscriptions");
    expect(redactUrl("/nudge/v1/messages?userId=u1")).toBe("/nudge/v1/messages");
  });

  it("requestLog: false, or a logger above info, mounts no request logger", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, d) => (lines.push(c.toString()), d()) }));
    const nudge = await createNudge({ workspace: "quiet", plugins: [storageMemory()], logger, clock: new FakeClock() });
    await nudge.start();
    stops.push(nudge);
    const app = express().use(nudgeRouter(nudge, { keys: [{ id: "k", key: INGEST_KEY, scopes: ["ingest"] }], requestLog: false }));
    lines.length = 0;
    await request(app).get("/healthz").expect(200);
    expect(lines).toEqual([]);
    // A logger above info gets no request lines either (and pays for no per-request child logger).
    logger.level = "warn";
    const quiet = express().use(nudgeRouter(nudge, { keys: [{ id: "k", key: INGEST_KEY, scopes: ["ingest"] }] }));
    await request(quiet).get("/healthz").expect(200);
    expect(lines).toEqual([]);
    logger.level = "info";
    const loud = express().use(nudgeRouter(nudge, { keys: [{ id: "k", key: INGEST_KEY, scopes: ["ingest"] }] }));
    await request(loud).get("/healthz").expect(200);
    expect(lines.some((l) => l.includes('"url":"/healthz"'))).toBe(true);
  });
});

describe("error handler", () => {
  it("an unexpected error is 500 without details; while the instance stops it is 503", async () => {
    let running = true;
    const lines: string[] = [];
    const logger = pino({ level: "info" }, new Writable({ write: (c: Buffer, _e, d) => (lines.push(c.toString()), d()) }));
    const app = express();
    app.get("/boom", () => {
      throw new Error("queue is closed: internal detail");
    });
    app.use(errorHandler(logger, () => running));
    const res = await request(app).get("/boom").expect(500);
    expect(res.body).toMatchObject({ status: 500, code: "NUDGE_INTERNAL", detail: "An unexpected error occurred" });
    expect(res.text).not.toContain("internal detail");
    expect(lines.join("")).toContain("internal detail");
    running = false;
    const stopping = await request(app).get("/boom").expect(503);
    expect(stopping.body.code).toBe("NUDGE_STOPPED");
    expect(stopping.headers["retry-after"]).toBe("5");
  });
});
