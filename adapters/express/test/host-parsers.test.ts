import { createHmac } from "node:crypto";
import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { Tokens, type Message, type Nudge } from "@nudge/core";
import { keepRawBody } from "../src/index.js";
import { HOOK_SIGNING_SECRET, INGEST_KEY, bearer, makeApp, type TestApp } from "./helpers.js";

/**
 * Host apps that parse bodies before mounting Nudge's router: every route still works, or fails with
 * problem JSON naming the fix, and the host parsers' own errors under the mount are problem JSON too.
 */
const stops: Nudge[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((n) => n.stop()));
});

async function host(parsers: express.RequestHandler[]): Promise<TestApp> {
  const t = await makeApp({ host: parsers });
  stops.push(t.nudge);
  return t;
}

/** Sends one message on the signing test channel; its provider message id is what a delivery report names. */
async function sendOne(t: TestApp): Promise<Message> {
  await t.nudge.journeys.put({ id: "j", trigger: { type: "event", event: "go" }, steps: [{ id: "s", type: "send", channel: "hooked", content: { text: "hi" } }] });
  await t.nudge.journeys.publish("j");
  await t.nudge.track({ userId: "u1", event: "go" });
  await t.nudge.drain();
  return (await t.nudge.messages.list({ userId: "u1", limit: 10 })).items[0]!;
}

function signedReport(message: Message, status = "delivered"): { body: string; signature: string } {
  const body = JSON.stringify({ id: message.attempts[0]!.providerMessageId, status });
  return { body, signature: createHmac("sha256", HOOK_SIGNING_SECRET).update(body).digest("hex") };
}

const statusOf = async (t: TestApp, m: Message) => (await t.nudge.resolve(Tokens.MessageStore).get(t.nudge.workspace, m.id))?.status;

/** The answer is problem JSON: no HTML page, no stack trace. */
function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.text).not.toMatch(/<html|<pre>|\n\s+at |node_modules/i);
  expect(res.body).toMatchObject({ status, code });
}

const trackAndIdentify = async (t: TestApp) => {
  await request(t.app).post("/nudge/v1/identify").set(bearer(INGEST_KEY)).send({ userId: "u9", traits: { plan: "pro" } }).expect(202);
  await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u9", event: "paid" }).expect(202);
  expect((await t.nudge.profiles.find({ userId: "u9" }))?.traits).toEqual({ plan: "pro" });
};

describe("a host app with express.json() before the router", () => {
  it("identify and track work", async () => {
    await trackAndIdentify(await host([express.json()]));
  });

  it("a signed webhook fails with NUDGE_BODY_ALREADY_PARSED naming the fix, logged as a warning, and nothing is applied", async () => {
    const lines: string[] = [];
    const t = await makeApp({ host: [express.json()], logger: pino({ level: "warn" }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) })) });
    stops.push(t.nudge);
    const message = await sendOne(t);
    const { body, signature } = signedReport(message);
    const res = await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", signature).send(body);
    expectProblem(res, 500, "NUDGE_BODY_ALREADY_PARSED");
    expect(res.body.detail).toContain("mount Nudge's router before express.json(), or keep the raw body: express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })");
    expect(await statusOf(t, message)).toBe("sent");
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(expect.objectContaining({ level: 40, code: "NUDGE_BODY_ALREADY_PARSED", msg: res.body.detail }));
  });

  it("malformed JSON is 400 problem JSON, not the host's HTML error page", async () => {
    const t = await host([express.json()]);
    const res = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).set("Content-Type", "application/json").send('{"userId": "u1", "event": ');
    expectProblem(res, 400, "NUDGE_MALFORMED_BODY");
    expect(res.body.errors).toEqual([{ path: "(root)", message: "The body is not valid JSON" }]);
  });

  it("a body over the host's smaller limit is 413 problem JSON naming that limit", async () => {
    const t = await host([express.json()]);
    const res = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "big", properties: { blob: "x".repeat(150_000) } });
    expectProblem(res, 413, "NUDGE_BODY_TOO_LARGE");
    expect(res.body.detail).toBe("The body is larger than the limit of 102400 bytes");
  });

  it("a host limit above the router's does not raise the router's: 413 past bodyLimit", async () => {
    const t = await host([express.json({ limit: "10mb" })]);
    const res = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "big", properties: { blob: "x".repeat(300_000) } });
    expectProblem(res, 413, "NUDGE_BODY_TOO_LARGE");
    expect(res.body.detail).toBe(`The body is larger than the limit of ${256 * 1024} bytes`);
    await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "small", properties: { blob: "x".repeat(200_000) } }).expect(202);
  });

  it("the host parser's other errors under the mount are problem JSON; outside it the host keeps its own", async () => {
    const t = await host([express.json()]);
    const res = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).set("Content-Type", "application/json").set("Content-Encoding", "x-unknown").send("{}");
    expectProblem(res, 415, "NUDGE_UNSUPPORTED_ENCODING");
    const charset = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).set("Content-Type", "application/json; charset=latin1").send("{}");
    expectProblem(charset, 415, "NUDGE_UNSUPPORTED_CHARSET");
    const outside = await request(t.app).post("/elsewhere").set("Content-Type", "application/json").send("{oops");
    expect(outside.status).toBe(400);
    expect(outside.headers["content-type"]).toMatch(/^text\/html/);
  });
});

describe("other host middleware failing under the mount point", () => {
  it("client errors keep their status with the host's message; anything else is a bare 500, logged", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }));
    const refuse: express.RequestHandler = (req, _res, next) => {
      if (req.headers["x-teapot"]) return next(Object.assign(new Error("no coffee here"), { status: 418, expose: true }));
      if (req.headers["x-crash"]) return next(new Error("secret internals"));
      next();
    };
    const t = await makeApp({ host: [express.json({ verify: () => { throw new Error("refused by the host's check"); } }), refuse], logger });
    stops.push(t.nudge);
    const verify = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "e" });
    expectProblem(verify, 403, "NUDGE_FORBIDDEN");
    const teapot = await request(t.app).get("/nudge/healthz").set("X-Teapot", "1");
    expectProblem(teapot, 418, "NUDGE_BAD_REQUEST");
    expect(teapot.body.detail).toBe("no coffee here");
    const crash = await request(t.app).get("/nudge/healthz").set("X-Crash", "1");
    expectProblem(crash, 500, "NUDGE_INTERNAL");
    expect(crash.text).not.toContain("secret internals");
    expect(lines.join("")).toContain("secret internals");
  });
});

describe("a host app that keeps the raw body", () => {
  it("express.json({ verify: keepRawBody }): a signed webhook is applied, a wrong signature is 401", async () => {
    const t = await host([express.json({ verify: keepRawBody })]);
    await trackAndIdentify(t);
    const message = await sendOne(t);
    const forged = signedReport(message, "failed");
    await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", "0".repeat(64)).send(forged.body).expect(401);
    const { body, signature } = signedReport(message);
    const res = await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", signature).send(body).expect(200);
    expect(res.body).toEqual({ applied: 1 });
    expect(await statusOf(t, message)).toBe("delivered");
  });

  it("the verify callback written out (req.rawBody = buf) works the same, and the router's limit holds on the kept bytes", async () => {
    const t = await host([
      express.json({
        limit: "10mb",
        verify: (req, _res, buf) => {
          (req as typeof req & { rawBody?: Buffer }).rawBody = buf;
        },
      }),
    ]);
    const message = await sendOne(t);
    const { body, signature } = signedReport(message);
    await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", signature).send(body).expect(200);
    expect(await statusOf(t, message)).toBe("delivered");
    const big = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "big", properties: { blob: "x".repeat(300_000) } });
    expectProblem(big, 413, "NUDGE_BODY_TOO_LARGE");
  });

  it("express.raw({ type: '*/*' }): JSON routes parse the kept bytes, webhooks verify them", async () => {
    const t = await host([express.raw({ type: "*/*" })]);
    await trackAndIdentify(t);
    const malformed = await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).set("Content-Type", "application/json").send("[1,");
    expectProblem(malformed, 400, "NUDGE_MALFORMED_BODY");
    const message = await sendOne(t);
    const { body, signature } = signedReport(message);
    await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", signature).send(body).expect(200);
  });
});

describe("a host app with express.urlencoded() or express.text() before the router", () => {
  it("express.urlencoded(): JSON routes and JSON webhooks are untouched, one-click unsubscribe reads the host's fields", async () => {
    const t = await host([express.urlencoded({ extended: false })]);
    await trackAndIdentify(t);
    const message = await sendOne(t);
    const { body, signature } = signedReport(message);
    await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", signature).send(body).expect(200);
    const profile = (await t.nudge.profiles.find({ userId: "u9" }))!;
    const path = new URL(t.nudge.links.unsubscribeUrl({ profileId: profile.id, channel: "sandbox" })).pathname;
    await request(t.app).post(path).type("form").send("List-Unsubscribe=Yes").expect(400);
    await request(t.app).post(path).type("form").send("List-Unsubscribe=One-Click").expect(200);
    expect((await t.nudge.profiles.get(profile.id))!.subscriptions).toMatchObject([{ channel: "sandbox", state: "unsubscribed", source: "one-click" }]);
    // A form-encoded webhook was read by the host, which kept no bytes: the named error, not a wrong verdict.
    const form = await request(t.app).post("/nudge/v1/webhooks/hooked/acme").type("form").send("id=x&status=delivered");
    expectProblem(form, 500, "NUDGE_BODY_ALREADY_PARSED");
  });

  it("express.text(): a text/plain webhook gets the named error; with verify: keepRawBody it is applied", async () => {
    const plain = await host([express.text()]);
    await trackAndIdentify(plain);
    const m1 = await sendOne(plain);
    const r1 = signedReport(m1);
    const res = await request(plain.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "text/plain").set("X-Acme-Signature", r1.signature).send(r1.body);
    expectProblem(res, 500, "NUDGE_BODY_ALREADY_PARSED");

    const kept = await host([express.text({ verify: keepRawBody })]);
    const m2 = await sendOne(kept);
    const r2 = signedReport(m2);
    await request(kept.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "text/plain").set("X-Acme-Signature", r2.signature).send(r2.body).expect(200);
    expect(await statusOf(kept, m2)).toBe("delivered");
  });

  it("express.text({ type: 'application/json' }): JSON routes parse the host's text", async () => {
    const t = await host([express.text({ type: "application/json" })]);
    await trackAndIdentify(t);
    expectProblem(await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).set("Content-Type", "application/json").send('"a string"'), 400, "NUDGE_MALFORMED_BODY");
  });
});
