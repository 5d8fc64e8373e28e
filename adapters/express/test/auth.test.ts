import express from "express";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { PluginConfigError, createNudge, sandboxChannel, silentLogger, FakeClock, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { ApiKeys, generateApiKey, hashApiKey, nudgeRouter } from "../src/index.js";
import { ADMIN_KEY, INGEST_KEY, bearer, makeApp } from "./helpers.js";

const started: Nudge[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((n) => n.stop()));
});

async function instance(workspace: string): Promise<Nudge> {
  const nudge = await createNudge({ workspace, plugins: [storageMemory(), sandboxChannel()], logger: silentLogger(), clock: new FakeClock() });
  await nudge.start();
  started.push(nudge);
  return nudge;
}

describe("API keys and scopes", () => {
  it("401 without a key or with an unknown one, with WWW-Authenticate", async () => {
    const t = await makeApp();
    started.push(t.nudge);
    const none = await request(t.app).post("/nudge/v1/track").send({ userId: "u", event: "e" }).expect(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="nudge"');
    expect(none.body).toMatchObject({ status: 401, code: "NUDGE_UNAUTHENTICATED" });
    await request(t.app).post("/nudge/v1/track").set(bearer("not-a-key-of-this-workspace")).send({ userId: "u", event: "e" }).expect(401);
    await request(t.app).post("/nudge/v1/track").set("Authorization", `Basic ${INGEST_KEY}`).send({ userId: "u", event: "e" }).expect(401);
    await request(t.app).get("/nudge/v1/journeys/x").expect(401);
  });

  it("403 when the key lacks the scope, either way", async () => {
    const t = await makeApp();
    started.push(t.nudge);
    const res = await request(t.app).get("/nudge/v1/journeys/welcome").set(bearer(INGEST_KEY)).expect(403);
    expect(res.body).toMatchObject({ status: 403, code: "NUDGE_FORBIDDEN" });
    await request(t.app).post("/nudge/v1/track").set(bearer(ADMIN_KEY)).send({ userId: "u", event: "e" }).expect(403);
    await request(t.app).get("/nudge/v1/messages").set(bearer(INGEST_KEY)).expect(403);
  });

  it("auth runs before the body is read: no key and a malformed body is still 401", async () => {
    const t = await makeApp();
    started.push(t.nudge);
    await request(t.app).post("/nudge/v1/track").set("Content-Type", "application/json").send("{oops").expect(401);
  });

  it("accepts keys configured as SHA-256 hashes, and a key with both scopes", async () => {
    const key = generateApiKey("nk_test");
    expect(key).toMatch(/^nk_test_[A-Za-z0-9_-]{43}$/);
    const nudge = await instance("hashed");
    const app = express().use("/n", nudgeRouter(nudge, { keys: [{ id: "both", sha256: hashApiKey(key).toUpperCase(), scopes: ["ingest", "admin"] }] }));
    await request(app).post("/n/v1/track").set(bearer(key)).send({ userId: "u", event: "e" }).expect(202);
    await request(app).get("/n/v1/messages").set(bearer(key)).expect(200);
    await request(app).get("/n/v1/messages").set(bearer(hashApiKey(key))).expect(401);
  });

  it("compares against every key and finds the right one", () => {
    const keys = new ApiKeys([
      { id: "a", key: "a".repeat(24), scopes: ["ingest"] },
      { id: "b", key: "b".repeat(24), scopes: ["admin"] },
    ]);
    expect(keys.authenticate("b".repeat(24))?.id).toBe("b");
    expect(keys.authenticate("a".repeat(24))?.id).toBe("a");
    expect(keys.authenticate("c".repeat(24))).toBeNull();
    expect(keys.authenticate("")).toBeNull();
  });

  it("rejects bad options at build time with PluginConfigError naming the field", async () => {
    const nudge = await instance("bad-options");
    expect(() => nudgeRouter(nudge, { keys: [] })).toThrow(PluginConfigError);
    expect(() => nudgeRouter(nudge, { keys: [{ id: "k", key: "short", scopes: ["ingest"] }] })).toThrow(/keys\[0\]/);
    expect(() =>
      nudgeRouter(nudge, {
        keys: [
          { id: "k", key: "x".repeat(24), scopes: ["ingest"] },
          { id: "k", key: "y".repeat(24), scopes: ["admin"] },
        ],
      }),
    ).toThrow(/duplicate key id "k"/);
    expect(() => nudgeRouter(nudge, { keys: [{ id: "k", key: "x".repeat(24), scopes: ["root" as "admin"] }] })).toThrow(PluginConfigError);
    // The future-timestamp limit is the core's now: a router option for it would be silently ignored, so it is refused.
    expect(() => nudgeRouter(nudge, { keys: [{ id: "k", key: "x".repeat(24), scopes: ["ingest"] }], maxFutureMs: 1000 } as never)).toThrow(/maxFutureMs.*settings\.ingest\.maxFutureMs/);
  });
});

describe("workspace isolation", () => {
  it("a key of workspace A gets 401 on workspace B's routes and sees none of B's data", async () => {
    const a = await instance("ws-a");
    const b = await instance("ws-b");
    const keyA = { ingest: "a-ingest-key-0123456789abcdef", admin: "a-admin-key-0123456789abcdefg" };
    const keyB = { ingest: "b-ingest-key-0123456789abcdef", admin: "b-admin-key-0123456789abcdefg" };
    const app = express();
    app.use("/a", nudgeRouter(a, { keys: [{ id: "ai", key: keyA.ingest, scopes: ["ingest"] }, { id: "aa", key: keyA.admin, scopes: ["admin"] }] }));
    app.use("/b", nudgeRouter(b, { keys: [{ id: "bi", key: keyB.ingest, scopes: ["ingest"] }, { id: "ba", key: keyB.admin, scopes: ["admin"] }] }));

    await request(app).post("/b/v1/identify").set(bearer(keyB.ingest)).send({ userId: "bob", traits: { secret: "b-only" } }).expect(202);
    await request(app).post("/b/v1/track").set(bearer(keyA.ingest)).send({ userId: "mallory", event: "e" }).expect(401);
    await request(app).get("/b/v1/profiles/bob").set(bearer(keyA.admin)).expect(401);
    await request(app).get("/b/v1/messages").set(bearer(keyA.admin)).expect(401);
    await request(app).put("/b/v1/templates/t").set(bearer(keyA.admin)).send({ channel: "sandbox", content: { text: "x" } }).expect(401);
    // A's own key on A's router: B's person does not exist there.
    await request(app).get("/a/v1/profiles/bob").set(bearer(keyA.admin)).expect(404);
    expect(await a.profiles.find({ userId: "mallory" })).toBeNull();
    expect(await b.profiles.find({ userId: "mallory" })).toBeNull();
    const res = await request(app).get("/b/v1/profiles/bob").set(bearer(keyB.admin)).expect(200);
    expect(res.body.traits).toEqual({ secret: "b-only" });
  });
});

describe("rate limits", () => {
  it("429 problem JSON with Retry-After once a key's limit is spent; other keys are unaffected", async () => {
    const t = await makeApp({ router: { rateLimit: { windowMs: 60_000, ingest: 3, admin: 2, public: 2 } } });
    started.push(t.nudge);
    for (let i = 0; i < 3; i++) await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u", event: "e" }).expect(202);
    const res = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u", event: "e" }).expect(429);
    expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: "NUDGE_RATE_LIMITED" });
    expect(res.body.retryAfter).toBe(Number(res.headers["retry-after"]));
    await request(t.app).get("/nudge/v1/messages").set(bearer(ADMIN_KEY)).expect(200);
    // Health probes are never limited; public links are limited per IP.
    for (let i = 0; i < 5; i++) await request(t.app).get("/nudge/healthz").expect(200);
    for (let i = 0; i < 2; i++) await request(t.app).get("/nudge/l/forged.token").expect(404);
    await request(t.app).get("/nudge/l/forged.token").expect(429);
  });

  it("public limits count per client IP; trustProxy decides whether X-Forwarded-For names it", async () => {
    const limits = { windowMs: 60_000, ingest: 10, admin: 10, public: 1 };
    const trusted = await makeApp({ router: { rateLimit: limits, trustProxy: 1 } });
    started.push(trusted.nudge);
    const from = (ip: string) => request(trusted.app).get("/nudge/l/forged.token").set("X-Forwarded-For", ip);
    await from("203.0.113.1").expect(404);
    await from("203.0.113.1").expect(429);
    await from("203.0.113.2").expect(404);

    const direct = await makeApp({ router: { rateLimit: limits } });
    started.push(direct.nudge);
    await request(direct.app).get("/nudge/l/forged.token").set("X-Forwarded-For", "203.0.113.1").expect(404);
    await request(direct.app).get("/nudge/l/forged.token").set("X-Forwarded-For", "203.0.113.2").expect(429);
  });

  it("rateLimit: false turns limits off", async () => {
    const t = await makeApp({ router: { rateLimit: false } });
    started.push(t.nudge);
    const res = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u", event: "e" }).expect(202);
    expect(res.headers["ratelimit"]).toBeUndefined();
  });
});
