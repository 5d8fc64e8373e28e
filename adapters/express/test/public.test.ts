import { createHmac } from "node:crypto";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Tokens, type Message } from "@nudge/core";
import { ADMIN_KEY, HOOK_SIGNING_SECRET, INGEST_KEY, bearer, makeApp, pathOf, type TestApp } from "./helpers.js";

describe("public routes", () => {
  let t: TestApp;
  let profileId: string;
  beforeEach(async () => {
    t = await makeApp({ router: { webhookSecrets: { "plain/basic": "plain-webhook-secret-0123" } } });
    await request(t.app).post("/nudge/v1/identify").set(bearer(INGEST_KEY)).send({ userId: "u1" }).expect(202);
    profileId = (await t.nudge.profiles.find({ userId: "u1" }))!.id;
  });
  afterEach(() => t.nudge.stop());
  const links = () => t.nudge.resolve(Tokens.Links);

  describe("click tracking /l/:token", () => {
    it("records message_clicked and redirects 302 to the signed URL", async () => {
      const clicks: Record<string, unknown>[] = [];
      t.nudge.hooks.on("event.accepted", (e) => e.name === "message_clicked" && clicks.push(e.properties));
      const url = links().clickUrl({ messageId: "m-1", profileId, url: "https://shop.example/sale?x=1" });
      const res = await request(t.app).get(pathOf(url)).expect(302);
      expect(res.headers["location"]).toBe("https://shop.example/sale?x=1");
      expect(res.headers["cache-control"]).toBe("no-store");
      expect(clicks).toEqual([{ messageId: "m-1", url: "https://shop.example/sale?x=1" }]);
    });

    it("a double click within the window counts once; a later click counts again", async () => {
      let clicks = 0;
      t.nudge.hooks.on("event.accepted", (e) => void (e.name === "message_clicked" && clicks++));
      const path = pathOf(links().clickUrl({ messageId: "m-1", profileId, url: "https://shop.example/" }));
      await request(t.app).get(path).expect(302);
      await request(t.app).get(path).expect(302);
      expect(clicks).toBe(1);
      t.clock.advance(10 * 60_000);
      await request(t.app).get(path).expect(302);
      expect(clicks).toBe(2);
    });

    it("a tampered, foreign, unsubscribe or open-pixel token gets 404 and never redirects", async () => {
      const token = pathOf(links().clickUrl({ messageId: "m-1", profileId, url: "https://shop.example/" })).split("/").pop()!;
      const [body, mac] = token.split(".") as [string, string];
      const evil = Buffer.from(JSON.stringify({ k: "l", ws: "acme", m: "m-1", p: profileId, u: "https://evil.example/" })).toString("base64url");
      for (const forged of [`${evil}.${mac}`, `${body}.${mac.slice(0, -2)}AA`, body, "garbage", `${body}.`]) {
        const res = await request(t.app).get(`/nudge/l/${forged}`).expect(404);
        expect(res.headers["location"]).toBeUndefined();
        expect(res.body.code).toBe("NUDGE_NOT_FOUND");
      }
      const unsub = pathOf(links().unsubscribeUrl({ profileId, channel: "sms" })).split("/").pop()!;
      await request(t.app).get(`/nudge/l/${unsub}`).expect(404);
      const open = pathOf(links().openPixelUrl({ messageId: "m-1", profileId })).split("/").pop()!;
      await request(t.app).get(`/nudge/l/${open}`).expect(404);
      const other = await makeApp({ workspace: "other" });
      const foreign = pathOf(other.nudge.resolve(Tokens.Links).clickUrl({ messageId: "m", profileId, url: "https://x.example/" }));
      await request(t.app).get(foreign).expect(404);
      await other.nudge.stop();
    });

    it("only ever redirects to http(s), even from a signed token", async () => {
      const token = links().sign({ k: "l", ws: "acme", m: "m", p: profileId, u: "javascript:alert(1)" });
      await request(t.app).get(`/nudge/l/${token}`).expect(404);
    });

    it("still redirects when the person was deleted (nothing recorded)", async () => {
      const path = pathOf(links().clickUrl({ messageId: "m-1", profileId: "gone", url: "https://shop.example/" }));
      await request(t.app).get(path).expect(302);
    });
  });

  describe("unsubscribe /u/:token", () => {
    const state = async () => (await t.nudge.profiles.get(profileId))!.subscriptions;

    it("GET shows a page with a one-click form and changes nothing", async () => {
      const path = pathOf(links().unsubscribeUrl({ profileId, channel: "email", topic: "<news>" }));
      const res = await request(t.app).get(path).expect(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
      expect(res.text).toContain('<form method="post">');
      expect(res.text).toContain('name="List-Unsubscribe" value="One-Click"');
      expect(res.text).toContain("&lt;news&gt;");
      expect(res.text).not.toContain("<news>");
      expect(await state()).toEqual([]);
    });

    it("POST List-Unsubscribe=One-Click (RFC 8058) unsubscribes: 200, idempotent", async () => {
      const path = pathOf(links().unsubscribeUrl({ profileId, channel: "email", topic: "news" }));
      await request(t.app).post(path).type("form").send("List-Unsubscribe=One-Click").expect(200);
      expect(await state()).toMatchObject([{ channel: "email", topic: "news", state: "unsubscribed", source: "one-click" }]);
      await request(t.app).post(path).type("form").send("List-Unsubscribe=One-Click").expect(200);
    });

    it("accepts the one-click body as multipart/form-data too", async () => {
      const path = pathOf(links().unsubscribeUrl({ profileId, channel: "sms" }));
      await request(t.app).post(path).field("List-Unsubscribe", "One-Click").expect(200);
      expect(await state()).toMatchObject([{ channel: "sms", state: "unsubscribed" }]);
    });

    it("400 without the one-click body, 415 for JSON, 404 for a tampered token", async () => {
      const path = pathOf(links().unsubscribeUrl({ profileId, channel: "sms" }));
      const res = await request(t.app).post(path).type("form").send("List-Unsubscribe=Yes").expect(400);
      expect(res.body.errors[0].path).toBe("List-Unsubscribe");
      await request(t.app).post(path).expect(400);
      await request(t.app).post(path).send({ "List-Unsubscribe": "One-Click" }).expect(415);
      const tampered = path.slice(0, -3) + (path.endsWith("A") ? "BBB" : "AAA");
      await request(t.app).post(tampered).type("form").send("List-Unsubscribe=One-Click").expect(404);
      await request(t.app).get(tampered).expect(404);
      expect(await state()).toEqual([]);
    });
  });

  describe("provider webhooks", () => {
    const sendOne = async (): Promise<Message> => {
      await t.nudge.journeys.put({ id: "j", trigger: { type: "event", event: "go" }, steps: [{ id: "s", type: "send", channel: "hooked", content: { text: "hi" } }] });
      await t.nudge.journeys.publish("j");
      await request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send({ userId: "u1", event: "go" }).expect(202);
      await t.nudge.drain();
      const res = await request(t.app).get("/nudge/v1/messages?userId=u1").set(bearer(ADMIN_KEY)).expect(200);
      return res.body.items[0] as Message;
    };

    it("applies a correctly signed delivery report", async () => {
      const message = await sendOne();
      expect(message.status).toBe("sent");
      const body = JSON.stringify({ id: message.attempts[0]!.providerMessageId, status: "delivered" });
      const signature = createHmac("sha256", HOOK_SIGNING_SECRET).update(body).digest("hex");
      const res = await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", signature).send(body).expect(200);
      expect(res.body).toEqual({ applied: 1 });
      const after = await t.nudge.resolve(Tokens.MessageStore).get(t.nudge.workspace, message.id);
      expect(after?.status).toBe("delivered");
    });

    it("401 problem JSON for a wrong or missing signature, nothing applied; 400 for a correctly signed malformed body", async () => {
      const message = await sendOne();
      const body = JSON.stringify({ id: message.attempts[0]!.providerMessageId, status: "failed" });
      const wrong = await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", "0".repeat(64)).send(body).expect(401);
      expect(wrong.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(wrong.body).toMatchObject({ status: 401, code: "NUDGE_WEBHOOK_SIGNATURE", detail: expect.stringContaining("headers.x-acme-signature") });
      const missing = await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").send(body).expect(401);
      expect(missing.body.detail).toContain("is missing");
      expect((await t.nudge.resolve(Tokens.MessageStore).get(t.nudge.workspace, message.id))?.status).toBe("sent");
      const malformed = JSON.stringify({ id: message.attempts[0]!.providerMessageId, status: "exploded" });
      const signed = createHmac("sha256", HOOK_SIGNING_SECRET).update(malformed).digest("hex");
      const bad = await request(t.app).post("/nudge/v1/webhooks/hooked/acme").set("Content-Type", "application/json").set("X-Acme-Signature", signed).send(malformed).expect(400);
      expect(bad.body).toMatchObject({ code: "NUDGE_VALIDATION", errors: [{ path: "status" }] });
    });

    it("404 for an unknown channel, the wrong provider, or a channel without webhooks", async () => {
      await request(t.app).post("/nudge/v1/webhooks/fax/acme").send({}).expect(404);
      await request(t.app).post("/nudge/v1/webhooks/hooked/other").send({}).expect(404);
      await request(t.app).post("/nudge/v1/webhooks/sandbox/sandbox").send({}).expect(404);
    });

    it("an unsigned provider needs the configured secret, as ?secret= or header", async () => {
      const res = await request(t.app).post("/nudge/v1/webhooks/plain/basic").send({}).expect(401);
      expect(res.body.code).toBe("NUDGE_WEBHOOK_UNAUTHENTICATED");
      await request(t.app).post("/nudge/v1/webhooks/plain/basic?secret=wrong").send({}).expect(401);
      const ok = await request(t.app).post("/nudge/v1/webhooks/plain/basic?secret=plain-webhook-secret-0123").send({}).expect(200);
      expect(ok.text).toBe("OK");
      await request(t.app).post("/nudge/v1/webhooks/plain/basic").set("X-Nudge-Webhook-Secret", "plain-webhook-secret-0123").send("x=1").expect(200);
    });
  });
});
