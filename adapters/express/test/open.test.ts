import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Tokens, type NudgeEvent } from "@nudge/core";
import { ADMIN_KEY, INGEST_KEY, bearer, makeApp, pathOf, type TestApp } from "./helpers.js";

/** Reads the image the way a mail client would: a GIF89a, 1x1, whose one pixel is the transparent colour. */
function expectTransparentPixel(body: unknown): void {
  expect(Buffer.isBuffer(body)).toBe(true);
  const gif = body as Buffer;
  expect(gif.subarray(0, 6).toString("latin1")).toBe("GIF89a");
  expect([gif.readUInt16LE(6), gif.readUInt16LE(8)]).toEqual([1, 1]);
  const tableBytes = gif[10]! & 0x80 ? 3 * 2 ** ((gif[10]! & 0x07) + 1) : 0;
  const ext = 13 + tableBytes;
  // Graphic Control Extension: 0x21 0xF9, block size 4, then the packed byte whose low bit is "transparent".
  expect([gif[ext], gif[ext + 1], gif[ext + 2]]).toEqual([0x21, 0xf9, 0x04]);
  expect(gif[ext + 3]! & 0x01).toBe(1);
  expect(gif[ext + 6]).toBe(0); // the transparent colour index, which is the one pixel's colour
  expect(gif.at(-1)).toBe(0x3b); // trailer
}

describe("open pixel /o/:token", () => {
  let t: TestApp;
  let profileId: string;
  let opens: NudgeEvent[];
  beforeEach(async () => {
    t = await makeApp();
    await request(t.app).post("/nudge/v1/identify").set(bearer(INGEST_KEY)).send({ userId: "u1" }).expect(202);
    profileId = (await t.nudge.profiles.find({ userId: "u1" }))!.id;
    opens = [];
    t.nudge.hooks.on("event.accepted", (e) => void (e.name === "message_opened" && opens.push(e)));
  });
  afterEach(() => t.nudge.stop());
  const links = () => t.nudge.resolve(Tokens.Links);
  const pixel = (messageId = "m-1", who = profileId) => pathOf(links().openPixelUrl({ messageId, profileId: who }));

  it("answers a 1x1 transparent GIF, uncached, and records message_opened for the person", async () => {
    const path = pixel();
    expect(path).toMatch(/^\/nudge\/o\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const res = await request(t.app).get(path).expect(200);
    expect(res.headers["content-type"]).toBe("image/gif");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["content-length"]).toBe("43");
    expectTransparentPixel(res.body);
    expect(opens).toHaveLength(1);
    expect(opens[0]).toMatchObject({ name: "message_opened", profileId, userId: "u1", properties: { messageId: "m-1" } });
  });

  it("counts one open per token per window, even when fetched twice; a later load counts again", async () => {
    const path = pixel();
    await request(t.app).get(path).expect(200);
    await request(t.app).get(path).expect(200);
    expect(opens).toHaveLength(1);
    await request(t.app).get(pixel("m-2")).expect(200);
    expect(opens.map((e) => e.properties["messageId"])).toEqual(["m-1", "m-2"]);
    t.clock.advance(10 * 60_000);
    await request(t.app).get(path).expect(200);
    expect(opens).toHaveLength(3);
  });

  it("the window is the router's openWindowMs", async () => {
    const long = await makeApp({ router: { openWindowMs: 60 * 60_000 } });
    try {
      await request(long.app).post("/nudge/v1/identify").set(bearer(INGEST_KEY)).send({ userId: "u1" }).expect(202);
      const id = (await long.nudge.profiles.find({ userId: "u1" }))!.id;
      let count = 0;
      long.nudge.hooks.on("event.accepted", (e) => void (e.name === "message_opened" && count++));
      // One bucket from its start: loads 10 minutes apart stay in the same hour.
      long.clock.set(Math.ceil(long.clock.now() / 3_600_000) * 3_600_000);
      const path = pathOf(long.nudge.resolve(Tokens.Links).openPixelUrl({ messageId: "m-1", profileId: id }));
      await request(long.app).get(path).expect(200);
      long.clock.advance(10 * 60_000);
      await request(long.app).get(path).expect(200);
      expect(count).toBe(1);
    } finally {
      await long.nudge.stop();
    }
  });

  it("a tampered, foreign, click or unsubscribe token still gets the GIF but records nothing", async () => {
    const token = pixel().split("/").pop()!;
    const [body, mac] = token.split(".") as [string, string];
    const other = Buffer.from(JSON.stringify({ k: "o", ws: "acme", m: "m-9", p: profileId })).toString("base64url");
    const foreignApp = await makeApp({ workspace: "other" });
    const foreign = pathOf(foreignApp.nudge.resolve(Tokens.Links).openPixelUrl({ messageId: "m-1", profileId })).split("/").pop()!;
    await foreignApp.nudge.stop();
    const click = pathOf(links().clickUrl({ messageId: "m-1", profileId, url: "https://shop.example/" })).split("/").pop()!;
    const unsubscribe = pathOf(links().unsubscribeUrl({ profileId, channel: "email", messageId: "m-1" })).split("/").pop()!;
    const forged = [`${other}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, body, `${body}.`, "garbage", foreign, click, unsubscribe, `${token}${"A".repeat(5000)}`];
    for (const bad of forged) {
      const res = await request(t.app).get(`/nudge/o/${bad}`).expect(200);
      expect(res.headers["content-type"]).toBe("image/gif");
      expectTransparentPixel(res.body);
    }
    expect(opens).toEqual([]);
    // The same request with the genuine token does record, so the loop above proves something.
    await request(t.app).get(`/nudge/o/${token}`).expect(200);
    expect(opens).toHaveLength(1);
  });

  it("an erased person's pixel still answers the GIF and records nothing", async () => {
    const path = pixel();
    await request(t.app).delete("/nudge/v1/profiles/u1").set(bearer(ADMIN_KEY)).expect(200);
    const res = await request(t.app).get(path).expect(200);
    expectTransparentPixel(res.body);
    expect(opens).toEqual([]);
    expect(await t.nudge.profiles.find({ userId: "u1" })).toBeNull();
  });

  it("counts against the burst limit of webhooks, not the per-IP limit of pages", async () => {
    const limited = await makeApp({ router: { rateLimit: { public: 2, webhook: 50 } } });
    try {
      const path = pathOf(limited.nudge.resolve(Tokens.Links).openPixelUrl({ messageId: "m-1", profileId: "p" }));
      for (let i = 0; i < 5; i++) await request(limited.app).get(path).expect(200);
      const unsubscribe = pathOf(limited.nudge.resolve(Tokens.Links).unsubscribeUrl({ profileId: "p", channel: "email" }));
      for (let i = 0; i < 2; i++) await request(limited.app).get(unsubscribe).expect(200);
      await request(limited.app).get(unsubscribe).expect(429);
    } finally {
      await limited.nudge.stop();
    }
  });

  it("is described in /openapi.json as a public image route", async () => {
    const doc = (await request(t.app).get("/nudge/openapi.json").expect(200)).body;
    const op = doc.paths["/o/{token}"].get;
    expect(op).toMatchObject({ operationId: "getOByToken", tags: ["Links"], security: [], "x-nudge-scope": "public" });
    expect(op.responses["200"].content).toHaveProperty("image/gif");
    expect(op.responses).not.toHaveProperty("404");
    expect(op.parameters).toEqual([expect.objectContaining({ name: "token", in: "path", required: true })]);
  });
});
