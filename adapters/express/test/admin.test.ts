import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_KEY, INGEST_KEY, bearer, makeApp, type TestApp } from "./helpers.js";

const welcome = {
  name: "Welcome",
  trigger: { type: "event", event: "signed_up" },
  steps: [{ id: "hello", type: "send", channel: "sandbox", content: { text: "Hi {{ profile.traits.name | default: 'there' }}" } }],
};

describe("admin API", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeApp();
  });
  afterEach(() => t.nudge.stop());
  const admin = () => ({
    get: (p: string) => request(t.app).get(`/nudge${p}`).set(bearer(ADMIN_KEY)),
    put: (p: string) => request(t.app).put(`/nudge${p}`).set(bearer(ADMIN_KEY)),
    post: (p: string) => request(t.app).post(`/nudge${p}`).set(bearer(ADMIN_KEY)),
    del: (p: string) => request(t.app).delete(`/nudge${p}`).set(bearer(ADMIN_KEY)),
  });
  const track = (body: object) => request(t.app).post("/nudge/v1/track").set(bearer(INGEST_KEY)).send(body).expect(202);
  const identify = (body: object) => request(t.app).post("/nudge/v1/identify").set(bearer(INGEST_KEY)).send(body).expect(202);

  describe("journeys", () => {
    it("put, get, publish, pause, resume, stats, delete", async () => {
      const put = await admin().put("/v1/journeys/welcome").send(welcome).expect(200);
      expect(put.body).toMatchObject({ journeyId: "welcome", status: "draft", version: 1, latestVersion: 1, publishedVersion: null });
      expect(put.body.definition.id).toBe("welcome");
      await admin().put("/v1/journeys/welcome").send({ ...welcome, id: "welcome", name: "Welcome v2" }).expect(200);

      const got = await admin().get("/v1/journeys/welcome").expect(200);
      expect(got.body).toMatchObject({ version: 2, definition: { name: "Welcome v2" } });
      expect((await admin().get("/v1/journeys/welcome?version=1").expect(200)).body.definition.name).toBe("Welcome");
      await admin().get("/v1/journeys/welcome?version=9").expect(404);
      const badQuery = await admin().get("/v1/journeys/welcome?version=abc").expect(400);
      expect(badQuery.body.errors[0].path).toBe("query.version");

      expect((await admin().post("/v1/journeys/welcome/publish").expect(200)).body).toMatchObject({ status: "published", publishedVersion: 2 });
      await identify({ userId: "u1", traits: { name: "Minji" } });
      await track({ userId: "u1", event: "signed_up" });
      await t.nudge.drain();
      const stats = await admin().get("/v1/journeys/welcome/stats").expect(200);
      expect(stats.body.enrollments).toEqual({ active: 0, completed: 1, exited: 0 });

      expect((await admin().post("/v1/journeys/welcome/pause").expect(200)).body.status).toBe("paused");
      expect((await admin().post("/v1/journeys/welcome/resume").expect(200)).body.status).toBe("published");
      await admin().del("/v1/journeys/welcome").expect(204);
      await admin().get("/v1/journeys/welcome").expect(404);
      await admin().del("/v1/journeys/welcome").expect(404);
    });

    it("404 for status changes and stats of an unknown journey", async () => {
      for (const p of ["publish", "pause", "resume"]) {
        const res = await admin().post(`/v1/journeys/ghost/${p}`).expect(404);
        expect(res.body.code).toBe("NUDGE_NOT_FOUND");
      }
      await admin().get("/v1/journeys/ghost/stats").expect(404);
    });

    it("400 naming the step and field for an invalid definition; 400 when the body id differs from the path", async () => {
      const res = await admin()
        .put("/v1/journeys/j")
        .send({ ...welcome, steps: [{ id: "s", type: "send", channel: "carrier-pigeon", content: { text: "{{ user.name }}" } }] })
        .expect(400);
      const paths = res.body.errors.map((e: { path: string }) => e.path);
      expect(paths.some((p: string) => p.includes("channel"))).toBe(true);
      await admin().put("/v1/journeys/j").send({ ...welcome, steps: [] }).expect(400);
      const mismatch = await admin().put("/v1/journeys/j").send({ ...welcome, id: "other" }).expect(400);
      expect(mismatch.body.errors).toEqual([{ path: "id", message: 'does not match the path ("j")' }]);
    });
  });

  describe("templates", () => {
    it("put, get, render with a sample profile and with a real one, delete", async () => {
      const tpl = { channel: "sandbox", content: { text: "Hello {{ profile.traits.name | default: 'friend' }} ({{ vars.code }})" } };
      expect((await admin().put("/v1/templates/hello").send(tpl).expect(200)).body).toEqual({ id: "hello", ...tpl });
      expect((await admin().get("/v1/templates/hello").expect(200)).body.content).toEqual(tpl.content);

      const sample = await admin().post("/v1/templates/hello/render").send({ profile: { traits: { name: "Sample" } }, vars: { code: "X1" } }).expect(200);
      expect(sample.body).toEqual({ channel: "sandbox", content: { text: "Hello Sample (X1)" }, aborted: null, errors: [] });

      await identify({ userId: "u1", traits: { name: "Jisoo" } });
      const real = await admin().post("/v1/templates/hello/render").send({ userId: "u1" }).expect(200);
      expect(real.body.content).toEqual({ text: "Hello Jisoo ()" });
      await admin().post("/v1/templates/hello/render").send({ userId: "nobody" }).expect(404);

      await admin().del("/v1/templates/hello").expect(204);
      await admin().get("/v1/templates/hello").expect(404);
      await admin().post("/v1/templates/hello/render").send({}).expect(404);
    });

    it("render reports the channel's content errors and template aborts", async () => {
      await admin().put("/v1/templates/long").send({ channel: "hooked", content: { text: "{{ vars.text }}" } }).expect(200);
      const res = await admin().post("/v1/templates/long/render").send({ vars: { text: "far too long for this channel" } }).expect(200);
      expect(res.body.errors[0].path).toBe("text");
      await admin().put("/v1/templates/stop").send({ channel: "sandbox", content: { text: "{% abort 'no name' %}" } }).expect(200);
      const aborted = await admin().post("/v1/templates/stop/render").send({}).expect(200);
      expect(aborted.body).toMatchObject({ content: null, aborted: "no name" });
    });

    it("400 for an unknown channel or a broken Liquid field", async () => {
      const res = await admin().put("/v1/templates/bad").send({ channel: "fax", content: { text: "{{ nope.x }}" } }).expect(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["channel", "content.text"]);
      await admin().put("/v1/templates/bad").send({ channel: "sandbox" }).expect(400);
    });
  });

  describe("segments", () => {
    const vip = { name: "VIPs", condition: { type: "trait", trait: "plan", op: "eq", value: "vip" } };

    it("put, get with member count, members page, delete", async () => {
      await identify({ userId: "u1", traits: { plan: "vip" } });
      await identify({ userId: "u2", traits: { plan: "free" } });
      expect((await admin().put("/v1/segments/vip").send(vip).expect(200)).body).toMatchObject({ id: "vip", name: "VIPs" });
      await t.nudge.drain();
      const p = await t.nudge.profiles.find({ userId: "u1" });

      expect((await admin().get("/v1/segments/vip").expect(200)).body).toMatchObject({ id: "vip", members: 1 });
      const members = await admin().get("/v1/segments/vip/members?limit=10").expect(200);
      expect(members.body).toEqual({ items: [{ profileId: p!.id, userId: "u1" }], nextCursor: null });
      await admin().get("/v1/segments/vip/members?limit=0").expect(400);
      await admin().get("/v1/segments/ghost/members").expect(404);

      await admin().del("/v1/segments/vip").expect(204);
      await admin().get("/v1/segments/vip").expect(404);
      await admin().del("/v1/segments/vip").expect(404);
    });

    it("400 for an invalid condition, a reference to an unknown segment, or a mismatched id", async () => {
      const res = await admin().put("/v1/segments/bad").send({ condition: { type: "trait", op: "eq" } }).expect(400);
      expect(res.body.errors.length).toBeGreaterThan(0);
      await admin().put("/v1/segments/bad").send({ condition: { type: "segment", segment: "ghost" } }).expect(400);
      const mismatch = await admin().put("/v1/segments/a").send({ ...vip, id: "b" }).expect(400);
      expect(mismatch.body.errors).toEqual([{ path: "id", message: 'does not match the path ("a")' }]);
    });

    it("preview estimates and lists who a condition matches, storing nothing", async () => {
      await identify({ userId: "u1", traits: { plan: "vip" } });
      await identify({ userId: "u2", traits: { plan: "free" } });
      await identify({ userId: "u3", traits: { plan: "vip" } });
      const res = await admin().post("/v1/segments/preview").send({ condition: vip.condition, limit: 1 }).expect(200);
      expect(res.body.estimate).toEqual({ count: 2, sampled: 3, matched: 2, total: 3, exact: true });
      expect(res.body.people).toHaveLength(1);
      expect(["u1", "u3"]).toContain(res.body.people[0].userId);
      await admin().post("/v1/segments/preview").send({ condition: { type: "nonsense" } }).expect(400);
      await admin().get("/v1/segments/preview").expect(404);
    });
  });

  describe("profiles and the message log", () => {
    beforeEach(async () => {
      await admin().put("/v1/journeys/welcome").send(welcome).expect(200);
      await admin().post("/v1/journeys/welcome/publish").expect(200);
      await identify({ userId: "u1", traits: { name: "Minji" } });
      await track({ userId: "u1", event: "signed_up" });
      await t.nudge.drain();
    });

    it("GET profile: the customer view", async () => {
      const res = await admin().get("/v1/profiles/u1").expect(200);
      expect(res.body).toMatchObject({ userId: "u1", traits: { name: "Minji" } });
      expect(res.body.journeys.past).toHaveLength(1);
      expect(res.body.recentMessages).toHaveLength(1);
      expect(res.body.recentMessages[0]).toMatchObject({ journeyId: "welcome", channel: "sandbox", status: "sent" });
      await admin().get("/v1/profiles/nobody").expect(404);
    });

    it("PUT subscriptions records consent with its source", async () => {
      const res = await admin()
        .put("/v1/profiles/u1/subscriptions")
        .send({ subscriptions: [{ channel: "sms", state: "unsubscribed" }, { channel: "email", topic: "news", state: "subscribed" }], source: "preference-center" })
        .expect(200);
      expect(res.body.subscriptions).toEqual([
        { channel: "sms", state: "unsubscribed" },
        { channel: "email", topic: "news", state: "subscribed" },
      ]);
      const p = await t.nudge.profiles.find({ userId: "u1" });
      expect(p?.subscriptions.map((s) => s.source)).toEqual(["preference-center", "preference-center"]);
      await admin().put("/v1/profiles/u1/subscriptions").send({ subscriptions: [{ channel: "sms", state: "maybe" }] }).expect(400);
      await admin().put("/v1/profiles/nobody/subscriptions").send({ subscriptions: [{ channel: "sms", state: "subscribed" }] }).expect(404);
    });

    it("DELETE profile erases the person and reports what went", async () => {
      const res = await admin().del("/v1/profiles/u1").expect(200);
      expect(res.body).toMatchObject({ profileFound: true, eventsDeleted: 2, enrollmentsDeleted: 1, messagesRedacted: 1 });
      await admin().get("/v1/profiles/u1").expect(404);
      await admin().del("/v1/profiles/u1").expect(404);
      const log = await admin().get("/v1/messages").expect(200);
      expect(log.body.items[0]).toMatchObject({ content: null, recipient: null });
    });

    it("GET messages: the log with status and attempts, filtered and paged", async () => {
      await identify({ userId: "u2" });
      await track({ userId: "u2", event: "signed_up" });
      await t.nudge.drain();
      const all = await admin().get("/v1/messages").expect(200);
      expect(all.body.items).toHaveLength(2);
      const mine = await admin().get("/v1/messages?userId=u1").expect(200);
      expect(mine.body.items).toHaveLength(1);
      expect(mine.body.items[0]).toMatchObject({ channel: "sandbox", status: "sent", journeyId: "welcome" });
      expect(mine.body.items[0].attempts[0]).toMatchObject({ attempt: 1, status: "sent", provider: "sandbox" });
      expect((await admin().get("/v1/messages?userId=nobody").expect(200)).body).toEqual({ items: [], nextCursor: null });
      expect((await admin().get("/v1/messages?status=failed").expect(200)).body.items).toEqual([]);
      expect((await admin().get("/v1/messages?journeyId=welcome&status=sent").expect(200)).body.items).toHaveLength(2);
      const first = await admin().get("/v1/messages?limit=1").expect(200);
      expect(first.body.items).toHaveLength(1);
      const second = await admin().get(`/v1/messages?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`).expect(200);
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
      const bad = await admin().get("/v1/messages?status=lost&limit=1000").expect(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["query.status", "query.limit"]);
    });
  });
});
