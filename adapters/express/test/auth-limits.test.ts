import type { Server } from "node:http";
import { Writable } from "node:stream";
import { pino } from "pino";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { PluginConfigError } from "@nudge/core";
import { ADMIN_KEY, INGEST_KEY, bearer, makeApp, type TestApp } from "./helpers.js";

/** Failed authentications are limited per client address and per key prefix, before the key is checked. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

interface Limited extends TestApp {
  server: Server;
  lines: string[];
}

/** The app behind a proxy (X-Forwarded-For names the client), listening once for many requests, logging into `lines`. */
async function limited(router: Parameters<typeof makeApp>[0] = {}): Promise<Limited> {
  const lines: string[] = [];
  const logger = pino({ level: "warn" }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }));
  const t = await makeApp({ ...router, logger, router: { trustProxy: true, ...router.router } });
  const server = t.app.listen(0);
  cleanups.push(async () => {
    server.close();
    await t.nudge.stop();
  });
  return { ...t, server, lines };
}

const track = (t: Limited, key: string | null, from: string) => {
  const req = request(t.server).post("/nudge/v1/track").set("X-Forwarded-For", from);
  return (key === null ? req : req.set(bearer(key))).send({ userId: "u1", event: "e" });
};

const metrics = async (t: Limited) => (await request(t.server).get("/nudge/metrics").set("X-Forwarded-For", "198.51.100.200").set(bearer(ADMIN_KEY)).expect(200)).text;
const warnings = (t: Limited) => t.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e["component"] === "auth");

describe("failed authentication limits", () => {
  it("1,500 wrong keys from one address: 401 up to the default limit, then 429 without a key check; a right key elsewhere still works", async () => {
    const t = await limited();
    // fetch keeps the connection alive: 1,500 requests in a few seconds.
    const url = `http://127.0.0.1:${(t.server.address() as { port: number }).port}/nudge/v1/track`;
    const statuses: number[] = [];
    for (let i = 0; i < 1500; i++) {
      const headers = { Authorization: `Bearer guess-${i}-${"x".repeat(24)}`, "X-Forwarded-For": "203.0.113.7", "Content-Type": "application/json" };
      const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ userId: "u1", event: "e" }) });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);

    const locked = await track(t, `guess-last-${"x".repeat(24)}`, "203.0.113.7");
    expect(locked.status).toBe(429);
    expect(locked.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(locked.body).toMatchObject({ status: 429, code: "NUDGE_AUTH_LOCKED_OUT", retryAfter: 900 });
    expect(locked.headers["retry-after"]).toBe("900");
    // Locked out means the key is not even looked at: the right key from that address waits too.
    await track(t, INGEST_KEY, "203.0.113.7").expect(429);
    await track(t, INGEST_KEY, "203.0.113.8").expect(202);

    const text = await metrics(t);
    expect(text).toContain('nudge_auth_failures_total{workspace="acme"} 100');
    expect(text).toContain('nudge_auth_lockouts_total{by="address",workspace="acme"} 1');

    const logged = warnings(t);
    expect(logged).toEqual([expect.objectContaining({ level: 40, by: "address", failures: 100, windowMs: 900_000, msg: expect.stringContaining("locked out") })]);
    expect(t.lines.join("")).not.toMatch(/203\.0\.113\.7|guess-/);
  }, 60_000);

  it("an IPv6 client counts with its /56 network", async () => {
    const t = await limited({ router: { authLimit: { perAddress: 2 } } });
    await track(t, `wrong-a-${"v".repeat(24)}`, "2001:db8:1:100::1").expect(401);
    await track(t, `wrong-b-${"v".repeat(24)}`, "2001:db8:1:1ff:abcd::2").expect(401);
    await track(t, INGEST_KEY, "2001:db8:1:1aa::3").expect(429);
    await track(t, INGEST_KEY, "2001:db8:1:200::1").expect(202);
  });

  it("a missing key counts as a failure too", async () => {
    const t = await limited({ router: { authLimit: { perAddress: 3 } } });
    for (let i = 0; i < 3; i++) await track(t, null, "203.0.113.9").expect(401);
    await track(t, null, "203.0.113.9").expect(429);
  });

  it("a key prefix guessed from many addresses is locked for everyone; other prefixes are not", async () => {
    const t = await limited({ router: { authLimit: { perAddress: 1000, perKeyPrefix: 5, prefixLength: 12 } } });
    const prefix = "nk_live_AbCd";
    for (let i = 0; i < 5; i++) await track(t, `${prefix}${i}-${"y".repeat(30)}`, `198.51.100.${i}`).expect(401);
    const res = await track(t, `${prefix}Z-${"y".repeat(30)}`, "198.51.100.99").expect(429);
    expect(res.body.code).toBe("NUDGE_AUTH_LOCKED_OUT");
    expect(res.body.detail).toContain("this key prefix");
    await track(t, INGEST_KEY, "198.51.100.99").expect(202);
    expect(await metrics(t)).toContain('nudge_auth_lockouts_total{by="keyPrefix",workspace="acme"} 1');
    const logged = warnings(t);
    expect(logged).toEqual([expect.objectContaining({ by: "keyPrefix", failures: 5, name: expect.stringMatching(/^[0-9a-f]{16}$/) })]);
    // The prefix holds characters of a secret: only its hash is logged.
    expect(t.lines.join("")).not.toContain(prefix);
  });

  it("the lockout ends with its window, on the instance's clock", async () => {
    const t = await limited({ router: { authLimit: { perAddress: 2, windowMs: 60_000 } } });
    for (let i = 0; i < 2; i++) await track(t, `wrong-key-${i}-${"z".repeat(24)}`, "203.0.113.50").expect(401);
    expect((await track(t, INGEST_KEY, "203.0.113.50").expect(429)).headers["retry-after"]).toBe("60");
    t.clock.advance(45_000);
    expect((await track(t, INGEST_KEY, "203.0.113.50").expect(429)).headers["retry-after"]).toBe("15");
    t.clock.advance(15_000);
    await track(t, INGEST_KEY, "203.0.113.50").expect(202);
    await track(t, `wrong-key-again-${"z".repeat(24)}`, "203.0.113.50").expect(401);
  });

  it("valid keys and wrong scopes never count", async () => {
    const t = await limited({ router: { authLimit: { perAddress: 2 } } });
    for (let i = 0; i < 5; i++) await track(t, INGEST_KEY, "203.0.113.60").expect(202);
    for (let i = 0; i < 5; i++) await track(t, ADMIN_KEY, "203.0.113.60").expect(403);
    await track(t, `wrong-key-${"q".repeat(24)}`, "203.0.113.60").expect(401);
    await track(t, INGEST_KEY, "203.0.113.60").expect(202);
  });

  it("authLimit: false turns lockouts off; bad limits are refused at build time naming the field", async () => {
    const t = await limited({ router: { authLimit: false } });
    for (let i = 0; i < 150; i++) await track(t, `guess-${i}-${"x".repeat(24)}`, "203.0.113.70").expect(401);
    expect(await metrics(t)).toContain('nudge_auth_failures_total{workspace="acme"} 150');
    expect(warnings(t)).toEqual([]);
    await expect(makeApp({ router: { authLimit: { perAddress: 0 } } })).rejects.toThrow(PluginConfigError);
    await expect(makeApp({ router: { authLimit: { prefixLength: 2 } } })).rejects.toThrow(/authLimit\.prefixLength/);
  });
});
