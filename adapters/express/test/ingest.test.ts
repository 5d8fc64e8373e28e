import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INGEST_KEY, bearer, makeApp, type TestApp } from "./helpers.js";

describe("ingest API", () => {
  let t: TestApp;
  let accepted: string[];
  beforeEach(async () => {
    t = await makeApp();
    accepted = [];
    t.nudge.hooks.on("event.accepted", (e) => accepted.push(e.name));
  });
  afterEach(() => t.nudge.stop());
  const post = (path: string) => request(t.app).post(`/nudge${path}`).set(bearer(INGEST_KEY));

  it("tracks an event: 202 { accepted: 1 }, stored before the answer", async () => {
    const res = await post("/v1/track").send({ userId: "u1", event: "signed_up", properties: { plan: "pro" } }).expect(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0 });
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(accepted).toEqual(["signed_up"]);
    expect(await t.nudge.profiles.find({ userId: "u1" })).not.toBeNull();
  });

  it("identifies a person: 202, traits applied", async () => {
    await post("/v1/identify").send({ userId: "u1", traits: { name: "Minji", email: "MINJI@example.com" } }).expect(202);
    const p = await t.nudge.profiles.find({ userId: "u1" });
    expect(p?.traits["name"]).toBe("Minji");
    expect(p?.contacts.email).toBe("minji@example.com");
  });

  it("counts a repeated messageId as a duplicate, storing nothing new", async () => {
    await post("/v1/track").send({ userId: "u1", event: "a", messageId: "m-1" }).expect(202);
    const res = await post("/v1/track").send({ userId: "u1", event: "a", messageId: "m-1" }).expect(202);
    expect(res.body).toEqual({ accepted: 1, duplicates: 1 });
    expect(accepted).toEqual(["a"]);
  });

  it("requires userId or anonymousId: 400 problem JSON naming the field", async () => {
    const res = await post("/v1/track").send({ event: "signed_up" }).expect(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: "NUDGE_VALIDATION", title: "Bad Request" });
    expect(res.body.errors).toEqual([{ path: "userId", message: "userId or anonymousId is required" }]);
    await post("/v1/identify").send({ traits: {} }).expect(400);
    expect(accepted).toEqual([]);
  });

  it("accepts an anonymousId alone", async () => {
    await post("/v1/track").send({ anonymousId: "a-1", event: "page_viewed" }).expect(202);
  });

  it("rejects a timestamp more than 24 h in the future, accepts one within", async () => {
    const now = t.clock.now();
    const res = await post("/v1/track").send({ userId: "u1", event: "e", timestamp: new Date(now + 25 * 3600_000).toISOString() }).expect(400);
    expect(res.body.errors).toEqual([{ path: "timestamp", message: "must not be more than 24 h in the future" }]);
    await post("/v1/track").send({ userId: "u1", event: "e", timestamp: now + 23 * 3600_000 }).expect(202);
    await post("/v1/identify").send({ userId: "u1", timestamp: now + 48 * 3600_000 }).expect(400);
  });

  it("refuses properties nested absurdly deep", async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const res = await post("/v1/track").send({ userId: "u1", event: "e", properties: deep }).expect(400);
    expect(res.body.errors).toEqual([{ path: "properties", message: "must not nest deeper than 32 levels" }]);
    await post("/v1/identify").send({ userId: "u1", context: deep }).expect(400);
    expect(accepted).toEqual([]);
  });

  it("batch: the core's ingest rules name the item, and nothing of the batch is stored", async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const res = await post("/v1/batch")
      .send({
        batch: [
          { type: "track", userId: "u1", event: "ok" },
          { type: "track", userId: "u1", event: "late", timestamp: t.clock.now() + 25 * 3600_000 },
          { type: "identify", userId: "u2", traits: deep },
          { type: "track", userId: "u3" },
        ],
      })
      .expect(400);
    expect(res.body.errors).toEqual([
      { path: "batch[1].timestamp", message: "must not be more than 24 h in the future" },
      { path: "batch[2].traits", message: "must not nest deeper than 32 levels" },
      { path: "batch[3].event", message: expect.any(String) },
    ]);
    expect(accepted).toEqual([]);
    expect(await t.nudge.profiles.find({ userId: "u1" })).toBeNull();
    // The envelope is the router's: an empty batch, or a body that is not an object, is refused there.
    expect((await post("/v1/batch").send({ batch: [] }).expect(400)).body.errors[0].path).toBe("batch");
    expect((await post("/v1/batch").send([{ type: "track" }]).expect(400)).body.errors[0].path).toBe("(root)");
  });

  it("batch: accepts every item in order", async () => {
    const res = await post("/v1/batch")
      .send({
        batch: [
          { type: "identify", anonymousId: "anon", traits: { name: "Jisoo" } },
          { type: "track", anonymousId: "anon", event: "viewed" },
          { type: "identify", userId: "u9", anonymousId: "anon" },
          { type: "track", userId: "u9", event: "bought" },
        ],
      })
      .expect(202);
    expect(res.body).toEqual({ accepted: 4, duplicates: 0 });
    expect(accepted).toEqual(["identify", "viewed", "identify", "bought"]);
    const p = await t.nudge.profiles.find({ userId: "u9" });
    expect(p?.anonymousIds).toEqual(["anon"]);
    expect(p?.traits["name"]).toBe("Jisoo");
  });

  it("batch: one bad item rejects the whole batch, naming every bad item by index", async () => {
    const res = await post("/v1/batch")
      .send({
        batch: [
          { type: "track", userId: "u1", event: "ok" },
          { type: "track", userId: "u1" },
          { type: "identify" },
          { type: "alias", userId: "u1" },
          { type: "track", userId: "u1", event: "later", timestamp: t.clock.now() + 30 * 3600_000 },
        ],
      })
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["batch[1].event", "batch[2].userId", "batch[3].type", "batch[4].timestamp"]);
    expect(accepted).toEqual([]);
  });

  it("batch: a contact trait the core cannot normalize refuses the whole batch, named by index", async () => {
    const res = await post("/v1/batch")
      .send({
        batch: [
          { type: "track", userId: "u1", event: "viewed" },
          { type: "identify", userId: "u2", traits: { phone: "call me maybe" } },
        ],
      })
      .expect(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["batch[1].traits.phone"]);
    expect(accepted).toEqual([]);
    expect(await t.nudge.profiles.find({ userId: "u1" })).toBeNull();
  });

  it("batch: more than 500 items is 400; an empty batch is 400", async () => {
    const batch = Array.from({ length: 501 }, (_, i) => ({ type: "track", userId: "u", event: `e${i}` }));
    const res = await post("/v1/batch").send({ batch }).expect(400);
    expect(res.body.errors[0]).toMatchObject({ path: "batch" });
    await post("/v1/batch").send({ batch: [] }).expect(400);
    await post("/v1/batch").send({ items: [] }).expect(400);
    expect(accepted).toEqual([]);
  });

  it("batch: 500 items within 1 MB pass; a body over 1 MB is 413", async () => {
    const batch = Array.from({ length: 500 }, (_, i) => ({ type: "track", userId: `u${i % 7}`, event: "e", properties: { pad: "x".repeat(1000) } }));
    await post("/v1/batch").send({ batch }).expect(202);
    const big = Array.from({ length: 500 }, () => ({ type: "track", userId: "u", event: "e", properties: { pad: "x".repeat(2200) } }));
    const res = await post("/v1/batch").send({ batch: big }).expect(413);
    expect(res.body).toMatchObject({ status: 413, code: "NUDGE_BODY_TOO_LARGE" });
  });

  it("a single call over the body limit is 413", async () => {
    const res = await post("/v1/track").send({ userId: "u", event: "e", properties: { pad: "x".repeat(300 * 1024) } }).expect(413);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("malformed JSON is 400 problem JSON", async () => {
    const res = await post("/v1/track").set("Content-Type", "application/json").send('{"userId": "u1", "event": ').expect(400);
    expect(res.body).toMatchObject({ status: 400, code: "NUDGE_MALFORMED_BODY" });
    expect(res.body.errors).toHaveLength(1);
  });

  it("a JSON scalar or array where an object is expected is 400", async () => {
    await post("/v1/track").set("Content-Type", "application/json").send("[1,2]").expect(400);
    await post("/v1/track").set("Content-Type", "application/json").send('"text"').expect(400);
  });

  it("a wrong content type is 415; no body at all is 400", async () => {
    const res = await post("/v1/track").set("Content-Type", "text/plain").send("userId=u1").expect(415);
    expect(res.body).toMatchObject({ status: 415, code: "NUDGE_UNSUPPORTED_MEDIA_TYPE" });
    await post("/v1/track").set("Content-Type", "application/x-www-form-urlencoded").send("userId=u1&event=e").expect(415);
    await post("/v1/track").expect(400);
  });

  it("an unknown route is 404 problem JSON", async () => {
    const res = await request(t.app).get("/nudge/v1/nope").expect(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: "NUDGE_ROUTE_NOT_FOUND", errors: [] });
    await request(t.app).patch("/nudge/v1/track").set(bearer(INGEST_KEY)).send({}).expect(404);
  });

  it("a stopped instance answers 503 with Retry-After", async () => {
    await t.nudge.stop();
    const res = await post("/v1/track").send({ userId: "u1", event: "e" }).expect(503);
    expect(res.headers["retry-after"]).toBe("5");
    expect(res.body.code).toBe("NUDGE_STOPPED");
  });
});
