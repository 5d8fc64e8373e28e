import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock, Tokens, type Nudge } from "@nudge/core";
import { buildQuickstart } from "../src/app.js";

describe("quickstart host app", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  const build = async (options: Parameters<typeof buildQuickstart>[0] = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), "nudge-quickstart-"));
    const q = await buildQuickstart({ logLevel: "silent", clock: new FakeClock(), dataDir, ...options });
    cleanup.push(async () => {
      await (q.nudge as Nudge).stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    return q;
  };

  it("runs the README's curl flow: identify, track, read the message log", async () => {
    const { app, nudge, keys } = await build();
    const ingest = { Authorization: `Bearer ${keys.ingest}` };
    await request(app).post("/nudge/v1/identify").set(ingest).send({ userId: "u1", traits: { name: "Jisoo" } }).expect(202);
    await request(app).post("/nudge/v1/track").set(ingest).send({ userId: "u1", event: "signed_up" }).expect(202);
    await nudge.drain();
    expect(nudge.sandbox.list().map((m) => m.content)).toEqual([{ text: "Welcome to Acme, Jisoo!" }]);

    const log = await request(app).get("/nudge/v1/messages?userId=u1").set({ Authorization: `Bearer ${keys.admin}` }).expect(200);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ journeyId: "welcome", channel: "sandbox", status: "sent" });

    const bad = await request(app).post("/nudge/v1/track").set(ingest).send({ event: "signed_up" }).expect(400);
    expect(bad.body.errors).toEqual([{ path: "userId", message: "userId or anonymousId is required" }]);
    await request(app).get("/nudge/v1/messages").set(ingest).expect(403);
    await request(app).post("/nudge/v1/track").send({ userId: "u1", event: "x" }).expect(401);
  });

  it("generates distinct keys, or takes the ones given; links point at the given base URL", async () => {
    const generated = await build();
    expect(generated.keys.ingest).toMatch(/^nk_ingest_/);
    expect(generated.keys.admin).toMatch(/^nk_admin_/);
    const given = { ingest: "my-ingest-key-0123456789abcdef", admin: "my-admin-key-0123456789abcdefg" };
    const chosen = await build({ keys: given, baseUrl: "http://localhost:4000/nudge", linkSecret: "a-stable-link-secret-0123" });
    expect(chosen.keys).toEqual(given);
    await request(chosen.app).get("/nudge/v1/messages").set({ Authorization: `Bearer ${given.admin}` }).expect(200);
    const url = chosen.nudge.resolve(Tokens.Links).unsubscribeUrl({ profileId: "p", channel: "sandbox" });
    expect(url.startsWith("http://localhost:4000/nudge/u/")).toBe(true);
  });
});
