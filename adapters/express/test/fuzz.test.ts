import type { Server } from "node:http";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INGEST_KEY, bearer, makeApp, type TestApp } from "./helpers.js";

/** mulberry32: a seeded generator, so a failure replays exactly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20_260_105;
const ROUNDS = 2000;

describe("ingest fuzz", () => {
  let t: TestApp;
  let server: Server;
  let stored = 0;
  const r = rng(SEED);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const strings = ["", "u1", "signed_up", "x".repeat(201), "💥", "\u0000", "__proto__", "constructor", "2026-01-05T00:00:00Z", "not-a-date", "<script>", "' OR 1=1 --"];

  const value = (depth: number): unknown => {
    switch (int(depth > 3 ? 5 : 8)) {
      case 0: return pick(strings);
      case 1: return r() < 0.5 ? int(1e6) : pick([-1, 0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2]);
      case 2: return r() < 0.5;
      case 3: return null;
      case 4: return `s${int(1e9)}`;
      case 5: return Array.from({ length: int(4) }, () => value(depth + 1));
      default: return Object.fromEntries(Array.from({ length: int(4) }, () => [pick([...strings, "userId", "event", "traits", "properties"]), value(depth + 1)]));
    }
  };
  const valid = (type: "track" | "identify"): Record<string, unknown> =>
    type === "track" ? { userId: `u${int(50)}`, event: "fuzzed", messageId: `m${r()}`, properties: { n: int(100) } } : { anonymousId: `a${int(50)}`, traits: { plan: "free" }, messageId: `m${r()}` };
  const mutate = (body: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...body };
    const keys = ["userId", "anonymousId", "event", "properties", "traits", "timestamp", "messageId", "context", "type"];
    for (let i = int(3); i >= 0; i--) {
      const k = pick(keys);
      if (r() < 0.3) delete out[k];
      else out[k] = k === "timestamp" ? pick([Date.now() + 1e12, -5, "2999-01-01T00:00:00Z", "yesterday", 1.5, value(0)]) : value(0);
    }
    if (r() < 0.05) {
      let deep: unknown = {};
      for (let i = 0; i < 200; i++) deep = { d: deep };
      out["properties"] = deep;
    }
    return out;
  };
  const body = (path: string): { raw?: string; json?: unknown; type?: string } => {
    const roll = r();
    if (roll < 0.1) return { raw: JSON.stringify(valid("track")).slice(0, int(40)), type: "application/json" };
    if (roll < 0.15) return { raw: Buffer.from(Array.from({ length: int(64) }, () => int(256))).toString("latin1"), type: pick(["application/json", "text/plain", "application/octet-stream"]) };
    if (roll < 0.3) return { json: value(0) };
    if (path === "/v1/batch") {
      const items = Array.from({ length: int(8) }, () => {
        const type = pick(["track", "identify"] as const);
        const item = { type, ...valid(type) };
        return r() < 0.25 ? mutate(item) : item;
      });
      return { json: r() < 0.1 ? { batch: value(1) } : { batch: items } };
    }
    const type = path === "/v1/track" ? "track" : "identify";
    return { json: r() < 0.3 ? valid(type) : mutate(valid(type)) };
  };

  beforeAll(async () => {
    t = await makeApp();
    t.nudge.hooks.on("event.accepted", () => void stored++);
    server = t.app.listen(0);
  });
  afterAll(async () => {
    server.close();
    await t.nudge.stop();
  });

  it(`${ROUNDS} random and malformed bodies: no 5xx, nothing half-accepted`, async () => {
    const statuses = new Map<number, number>();
    for (let i = 0; i < ROUNDS; i++) {
      const path = pick(["/v1/track", "/v1/identify", "/v1/batch"]);
      const b = body(path);
      let req = request(server).post(`/nudge${path}`).set(bearer(INGEST_KEY));
      if (b.type) req = req.set("Content-Type", b.type);
      const before = stored;
      const res = await req.send((b.raw ?? JSON.stringify(b.json)) as string).set(b.type ? {} : { "Content-Type": "application/json" });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const context = `round ${i} ${path} ${String(b.raw ?? JSON.stringify(b.json)).slice(0, 300)} -> ${res.status} ${res.text.slice(0, 300)}`;
      expect([202, 400, 413, 415], context).toContain(res.status);
      if (res.status === 202) expect(stored - before, context).toBe(res.body.accepted - res.body.duplicates);
      else {
        expect(stored - before, context).toBe(0);
        expect(res.headers["content-type"], context).toMatch(/^application\/problem\+json/);
      }
    }
    // The run exercised both outcomes, and the server still answers.
    expect(statuses.get(202)).toBeGreaterThan(100);
    expect(statuses.get(400)).toBeGreaterThan(100);
    await request(server).get("/nudge/healthz").expect(200);
  }, 120_000);
});
