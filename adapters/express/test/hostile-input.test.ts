import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_KEY, INGEST_KEY, bearer, makeApp, type TestApp } from "./helpers.js";

const JSON_TYPE = { "Content-Type": "application/json" };

/** Each request the HTTP API used to answer 500, or store altered, with what it answers now. */
describe("hostile input", () => {
  let t: TestApp;
  let accepted: number;
  beforeEach(async () => {
    t = await makeApp();
    accepted = 0;
    t.nudge.hooks.on("event.accepted", () => void accepted++);
  });
  afterEach(() => t.nudge.stop());
  const ingest = (path: string) => request(t.app).post(`/nudge${path}`).set(bearer(INGEST_KEY));
  const admin = (method: "get" | "put" | "post" | "delete", path: string) => request(t.app)[method](`/nudge${path}`).set(bearer(ADMIN_KEY));
  /** Bytes sent as they are (superagent would serialise a Buffer under a JSON type). */
  const bytes = (req: request.Test, body: string | Buffer) => req.serialize((b: unknown) => b as string).send(Buffer.isBuffer(body) ? body : Buffer.from(body));
  /** A raw JSON text, sent byte for byte (lone-surrogate escapes, duplicate keys, 1e400 survive). */
  const raw = (path: string, text: string | Buffer) => bytes(ingest(path).set(JSON_TYPE), text);
  const problemOf = (res: request.Response) => {
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    return res.body as { code: string; detail: string; errors: { path: string; message: string }[] };
  };
  const paths = (res: request.Response) => problemOf(res).errors.map((e) => e.path);

  it("a corrupt gzip, deflate or br body gets 400 problem JSON, not 500", async () => {
    const good = Buffer.from(JSON.stringify({ userId: "u1", event: "e" }));
    const corrupt = { gzip: gzipSync(good).subarray(0, 12), deflate: Buffer.from("not deflate at all"), br: Buffer.from([0xff, 0xff, 0xff, 0xff]) };
    for (const [encoding, body] of Object.entries(corrupt)) {
      const res = await bytes(ingest("/v1/track").set({ ...JSON_TYPE, "Content-Encoding": encoding }), body);
      expect(res.status, encoding).toBe(400);
      expect(problemOf(res)).toMatchObject({ code: "NUDGE_MALFORMED_BODY", errors: [{ path: "(root)" }] });
      expect(problemOf(res).detail).toContain(encoding);
    }
    // The same on the form and raw routes, whose bodies body-parser also inflates.
    await bytes(request(t.app).post("/nudge/u/some-token").set({ "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip" }), "junk").expect(400);
    await bytes(request(t.app).post("/nudge/v1/webhooks/hooked/acme").set({ "Content-Encoding": "deflate" }), "junk").expect(400);
    // Well-formed compressed bodies still work; an unknown coding stays 415.
    await bytes(ingest("/v1/track").set({ ...JSON_TYPE, "Content-Encoding": "br" }), brotliCompressSync(good)).expect(202);
    await bytes(ingest("/v1/track").set({ ...JSON_TYPE, "Content-Encoding": "deflate" }), deflateSync(good)).expect(202);
    await bytes(ingest("/v1/track").set({ ...JSON_TYPE, "Content-Encoding": "x-unknown" }), good).expect(415);
    expect(accepted).toBe(2);
  });

  it("bad percent-encoding in a path parameter gets 400 naming the parameter, not 500", async () => {
    const res = await admin("get", "/v1/profiles/%ZZ");
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(["params.userId"]);
    expect(paths(await request(t.app).post("/nudge/v1/webhooks/hooked/%E0%A4%A").send("{}").expect(400))).toEqual(["params.provider"]);
    expect(paths(await request(t.app).get("/nudge/l/%ED%A0%80").expect(400))).toEqual(["params.token"]);
    // Where no route has a parameter, the answer names the path.
    expect(paths(await request(t.app).get("/nudge/healthz%ZZ").expect(400))).toEqual(["(path)"]);
  });

  it("a NUL in a path parameter or a query value is refused, naming it", async () => {
    expect(paths(await admin("get", "/v1/profiles/a%00b").expect(400))).toEqual(["params.userId"]);
    expect(paths(await admin("get", "/v1/messages?userId=a%00b").expect(400))).toEqual(["query.userId"]);
  });

  it("a lone surrogate anywhere in a JSON body is refused with 400 naming the field, and nothing is stored", async () => {
    expect(paths(await raw("/v1/identify", '{"userId":"\\ud800","traits":{"a":1}}').expect(400))).toEqual(["userId"]);
    expect(paths(await raw("/v1/identify", '{"userId":"u1","traits":{"name":"x\\udc00y"}}').expect(400))).toEqual(["traits.name"]);
    expect(paths(await raw("/v1/identify", '{"userId":"u1","traits":{"\\udbff":1}}').expect(400))).toEqual(['traits["\\udbff"]']);
    const batch = '{"batch":[{"type":"track","userId":"u1","event":"ok"},{"type":"track","userId":"u1","event":"e","properties":{"list":["a","\\udfff"]}}]}';
    expect(paths(await raw("/v1/batch", batch).expect(400))).toEqual(["batch[1].properties.list[1]"]);
    // A surrogate pair is a character like any other.
    await raw("/v1/identify", '{"userId":"\\ud83d\\ude00","traits":{"a":1}}').expect(202);
    expect(accepted).toBe(1);
  });

  it("bytes that are not UTF-8 are refused with 400 naming the field, not stored as U+FFFD", async () => {
    const body = Buffer.concat([Buffer.from('{"userId":"u1","event":"e","properties":{"name":"'), Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from('"}}')]);
    const res = await raw("/v1/track", body).expect(400);
    expect(problemOf(res).errors).toEqual([{ path: "properties.name", message: "holds bytes that are not valid UTF-8" }]);
    // A real U+FFFD sent as UTF-8 is kept.
    await raw("/v1/track", Buffer.from('{"userId":"u1","event":"e","properties":{"name":"\ufffd"}}')).expect(202);
    expect(accepted).toBe(1);
  });

  it("a NUL character in a string or key is refused, naming the field", async () => {
    expect(paths(await raw("/v1/identify", '{"userId":"a\\u0000b"}').expect(400))).toEqual(["userId"]);
    expect(paths(await raw("/v1/track", '{"userId":"u1","event":"e","context":{"k\\u0000":1}}').expect(400))).toEqual(['context["k\\u0000"]']);
    expect(accepted).toBe(0);
  });

  it("a number beyond a double (1e400) is refused rather than stored as null", async () => {
    const res = await raw("/v1/track", '{"userId":"u1","event":"e","properties":{"big":1e400,"small":-1e400}}').expect(400);
    expect(paths(res)).toEqual(["properties.big", "properties.small"]);
    expect(accepted).toBe(0);
  });

  it("__proto__, constructor and prototype keys are refused, naming them, and pollute nothing", async () => {
    const res = await raw("/v1/identify", '{"userId":"u1","traits":{"__proto__":{"isAdmin":true},"constructor":1,"a":{"prototype":2}}}').expect(400);
    expect(paths(res)).toEqual(["traits.__proto__", "traits.constructor", "traits.a.prototype"]);
    expect(({} as Record<string, unknown>)["isAdmin"]).toBeUndefined();
    expect(accepted).toBe(0);
  });

  it("a body nested thousands of levels deep gets 400 naming where, on every JSON route", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const res = await raw("/v1/track", `{"userId":"u1","event":"e","properties":{"x":${deep}}}`).expect(400);
    expect(problemOf(res).errors[0]!.message).toMatch(/deeper than 512 levels/);
    let condition = '{"type":"trait","trait":"plan","op":"exists"}';
    // 9,000 levels: as deep as the route's body limit allows this shape.
    for (let i = 0; i < 9_000; i++) condition = `{"type":"not","condition":${condition}}`;
    const segment = await admin("put", "/v1/segments/deep").set(JSON_TYPE).send(`{"id":"deep","condition":${condition}}`);
    expect(segment.status).toBe(400);
    expect(problemOf(segment).errors[0]!.path).toMatch(/^condition(\.condition)+$/);
  });

  it("a body nested just under the limit is parsed by the route's schema without overflowing the stack", async () => {
    let condition = '{"type":"trait","trait":"plan","op":"exists"}';
    for (let i = 0; i < 500; i++) condition = `{"type":"not","condition":${condition}}`;
    const res = await admin("post", "/v1/segments/preview").set(JSON_TYPE).send(`{"condition":${condition}}`);
    expect(res.status).toBeLessThan(500);
  });

  it("numbers a double holds are accepted as JSON.parse reads them; query values decode leniently", async () => {
    await raw("/v1/identify", '{"userId":"u-num","traits":{"zero":-0,"big":18446744073709551616}}').expect(202);
    expect((await t.nudge.profiles.find({ userId: "u-num" }))?.traits["big"]).toBe(18446744073709552000);
    await admin("get", "/v1/messages?userId=%ZZ").expect(200);
  });

  it("with duplicate keys the last one counts, as JSON.parse reads them", async () => {
    await raw("/v1/identify", '{"userId":"first","userId":"u-dup","traits":{"plan":"free","plan":"pro"}}').expect(202);
    expect((await t.nudge.profiles.find({ userId: "u-dup" }))?.traits["plan"]).toBe("pro");
    expect(await t.nudge.profiles.find({ userId: "first" })).toBeNull();
  });
});
