import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConflictError } from "../errors.js";
import { FakeClock } from "../ports/clock.js";
import { silentLogger } from "../ports/logger.js";
import type {
  EnrollmentStore,
  EventStore,
  JourneyStore,
  MessageStore,
  ProfileStore,
  SegmentStore,
  TemplateStore,
  TimerStore,
} from "../ports/stores.js";
import type { Message } from "../domain/message.js";
import type { PluginSpec } from "../plugin.js";
import { createNudge } from "../engine/create-nudge.js";
import type { Nudge } from "../engine/nudge.js";
import { Tokens } from "../tokens.js";
import { aJourney, aMessage, anEnrollment, anEvent, aProfile } from "./fixtures.js";

export interface StorageUnderTest {
  profiles: ProfileStore;
  events: EventStore;
  journeys: JourneyStore;
  enrollments: EnrollmentStore;
  timers: TimerStore;
  messages: MessageStore;
  segments: SegmentStore;
  templates: TemplateStore;
}

export interface StorageConformanceOptions {
  /** Called before the suite; return false (with a reason) to skip it, e.g. a service is down. */
  available?: () => Promise<true | string>;
  /** Extra cleanup after the instance stops (drop a schema ...). */
  cleanup?: () => Promise<void>;
}

/**
 * The one suite every storage plugin passes. It boots the plugin through createNudge (its real
 * registration and init path) and exercises each port, across two workspaces sharing the backend.
 */
export function describeStorageConformance(name: string, make: () => PluginSpec | Promise<PluginSpec>, options: StorageConformanceOptions = {}): void {
  describe(`storage conformance: ${name}`, () => {
    let nudge: Nudge | null = null;
    let s: StorageUnderTest;
    let skipReason: string | null = null;
    const A = `ws_a_${Math.random().toString(36).slice(2, 8)}`;
    const B = `ws_b_${Math.random().toString(36).slice(2, 8)}`;

    beforeAll(async () => {
      const availability = options.available ? await options.available() : true;
      if (availability !== true) {
        skipReason = availability;
        return;
      }
      nudge = await createNudge({ workspace: A, plugins: [await make()], logger: silentLogger(), clock: new FakeClock() });
      await nudge.start();
      s = {
        profiles: nudge.resolve(Tokens.ProfileStore),
        events: nudge.resolve(Tokens.EventStore),
        journeys: nudge.resolve(Tokens.JourneyStore),
        enrollments: nudge.resolve(Tokens.EnrollmentStore),
        timers: nudge.resolve(Tokens.TimerStore),
        messages: nudge.resolve(Tokens.MessageStore),
        segments: nudge.resolve(Tokens.SegmentStore),
        templates: nudge.resolve(Tokens.TemplateStore),
      };
    });

    afterAll(async () => {
      await nudge?.stop();
      await options.cleanup?.();
    });

    const test = (title: string, fn: () => Promise<void>) =>
      it(title, async (ctx) => {
        if (skipReason !== null) {
          ctx.skip(skipReason);
          return;
        }
        await fn();
      });

    describe("profiles", () => {
      test("not found is null", async () => {
        expect(await s.profiles.get(A, "nope")).toBeNull();
        expect(await s.profiles.getByUserId(A, "nope")).toBeNull();
        expect(await s.profiles.getByAnonymousId(A, "nope")).toBeNull();
      });

      test("save round-trips every field and bumps the version", async () => {
        const p = aProfile(A, {
          userId: "u-roundtrip",
          anonymousIds: ["anon-rt-1", "anon-rt-2"],
          traits: { name: "지민", plan: "pro", nested: { a: [1, 2] } },
          contacts: { email: "a@example.com", phone: "+821012345678", push: [{ token: "t1", platform: "ios" }] },
          timezone: "Asia/Seoul",
          locale: "ko-KR",
          subscriptions: [{ channel: "sms", state: "subscribed", at: 5, source: "signup" }],
          nightAdConsent: { granted: true, at: 6, source: "form" },
          lastSeenAt: 7,
        });
        const saved = await s.profiles.save(p);
        expect(saved.version).toBe(1);
        expect(await s.profiles.get(A, p.id)).toEqual({ ...p, version: 1 });
        expect((await s.profiles.getByUserId(A, "u-roundtrip"))?.id).toBe(p.id);
        expect((await s.profiles.getByAnonymousId(A, "anon-rt-2"))?.id).toBe(p.id);
      });

      test("idsByUserId (when offered): one lookup for many userIds, exact ids only, per workspace", async () => {
        if (!s.profiles.idsByUserId) return;
        const a = await s.profiles.save(aProfile(A, { userId: "u-many-1" }));
        const b = await s.profiles.save(aProfile(A, { userId: "u-many-2", anonymousIds: ["u-many-former"] }));
        // Another workspace's person with a userId asked for here is not found.
        await s.profiles.save(aProfile(`${B}-ids`, { userId: "u-many-3" }));
        const found = await s.profiles.idsByUserId(A, ["u-many-1", "u-many-2", "u-many-3", "u-many-former", "nobody", "u-many-1"]);
        expect([...found.entries()].sort()).toEqual([
          ["u-many-1", a.id],
          ["u-many-2", b.id],
        ]);
        expect((await s.profiles.idsByUserId(A, [])).size).toBe(0);
        // One userId alone (a track call's lookup), which a store may answer another way: the same rules.
        expect([...(await s.profiles.idsByUserId(A, ["u-many-2"])).entries()]).toEqual([["u-many-2", b.id]]);
        expect((await s.profiles.idsByUserId(A, ["u-many-3"])).size).toBe(0);
        expect((await s.profiles.idsByUserId(A, ["u-many-former"])).size).toBe(0);
      });

      test("upsert of traits with the read version; a stale version conflicts", async () => {
        const p = await s.profiles.save(aProfile(A, { userId: "u-upsert" }));
        const updated = await s.profiles.save({ ...p, traits: { tier: "gold" } });
        expect(updated.version).toBe(2);
        expect((await s.profiles.get(A, p.id))?.traits).toEqual({ tier: "gold" });
        await expect(s.profiles.save({ ...p, traits: { tier: "stale" } })).rejects.toBeInstanceOf(ConflictError);
      });

      test("find by contact point", async () => {
        const p = await s.profiles.save(aProfile(A, { userId: "u-contact", contacts: { email: "minji@example.com", phone: "+821099998888" } }));
        expect((await s.profiles.findByContact(A, "phone", "+821099998888")).map((x) => x.id)).toEqual([p.id]);
        expect((await s.profiles.findByContact(A, "email", "minji@example.com")).map((x) => x.id)).toEqual([p.id]);
        expect(await s.profiles.findByContact(B, "phone", "+821099998888")).toEqual([]);
        expect(await s.profiles.findByContact(A, "email", "nobody@example.com")).toEqual([]);
      });

      test("a second profile with a taken userId or anonymousId conflicts", async () => {
        await s.profiles.save(aProfile(A, { userId: "u-unique", anonymousIds: ["anon-unique"] }));
        await expect(s.profiles.save(aProfile(A, { userId: "u-unique" }))).rejects.toBeInstanceOf(ConflictError);
        await expect(s.profiles.save(aProfile(A, { anonymousIds: ["anon-unique"] }))).rejects.toBeInstanceOf(ConflictError);
      });

      test("merge: an anonymous profile's ids move to the known one", async () => {
        const anon = await s.profiles.save(aProfile(A, { anonymousIds: ["anon-merge"] }));
        const known = await s.profiles.save(aProfile(A, { userId: "u-merge" }));
        await s.profiles.delete(A, anon.id);
        await s.profiles.save({ ...known, anonymousIds: ["anon-merge"] });
        expect((await s.profiles.getByAnonymousId(A, "anon-merge"))?.id).toBe(known.id);
        expect(await s.profiles.get(A, anon.id)).toBeNull();
      });

      test("a profile deleted while it is being saved keeps none of its ids: they are free for somebody else", async () => {
        const people = await Promise.all(
          Array.from({ length: 16 }, (_, i) => s.profiles.save(aProfile(A, { userId: `u-race-${i}`, anonymousIds: [`anon-race-${i}-old`] }))),
        );
        // Each save changes the person's ids while a delete of them runs (an identify racing an erasure).
        const settled = await Promise.allSettled(
          people.flatMap((p, i) => [s.profiles.save({ ...p, anonymousIds: [`anon-race-${i}-old`, `anon-race-${i}-new`] }), s.profiles.delete(A, p.id)]),
        );
        // A save the delete overtook conflicts (the profile is gone); nothing else may fail (a deadlock, say).
        for (const r of settled) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
        for (const [i, p] of people.entries()) {
          const ids = [`anon-race-${i}-old`, `anon-race-${i}-new`];
          expect(await s.profiles.get(A, p.id)).toBeNull();
          expect(await s.profiles.getByUserId(A, `u-race-${i}`)).toBeNull();
          for (const id of ids) expect(await s.profiles.getByAnonymousId(A, id)).toBeNull();
          const next = await s.profiles.save(aProfile(A, { userId: `u-race-${i}`, anonymousIds: ids }));
          for (const id of ids) expect((await s.profiles.getByAnonymousId(A, id))?.id).toBe(next.id);
          await s.profiles.delete(A, next.id);
        }
      });

      test("workspaces are isolated; delete is idempotent; list pages", async () => {
        const p = await s.profiles.save(aProfile(A, { userId: "u-iso" }));
        expect(await s.profiles.get(B, p.id)).toBeNull();
        expect(await s.profiles.getByUserId(B, "u-iso")).toBeNull();
        const b = await s.profiles.save(aProfile(B, { userId: "u-iso" }));
        expect(b.workspaceId).toBe(B);
        expect(await s.profiles.count(B)).toBe(1);
        const first = await s.profiles.list(A, { limit: 2 });
        expect(first.items).toHaveLength(2);
        const ids = new Set(first.items.map((x) => x.id));
        let cursor = first.nextCursor;
        while (cursor) {
          const page = await s.profiles.list(A, { limit: 2, cursor });
          page.items.forEach((x) => ids.add(x.id));
          cursor = page.nextCursor;
        }
        expect(ids.size).toBe(await s.profiles.count(A));
        await s.profiles.delete(B, b.id);
        await s.profiles.delete(B, b.id);
        expect(await s.profiles.get(B, b.id)).toBeNull();
      });
    });

    describe("events", () => {
      test("append dedupes by (workspace, messageId)", async () => {
        const e = anEvent(A, "p-dedupe", { messageId: "m-1", properties: { amount: 5, 제품: "커피" } });
        expect(await s.events.append(e)).toBe(true);
        expect(await s.events.append({ ...e, id: "other-id" })).toBe(false);
        expect(await s.events.append({ ...e, workspaceId: B })).toBe(true);
        expect(await s.events.getByMessageId(A, "m-1")).toEqual(e);
        expect(await s.events.getByMessageId(A, "missing")).toBeNull();
      });

      test("getManyByMessageId (when offered) answers each id in order, null where none is stored, one workspace at a time", async () => {
        const many = s.events.getManyByMessageId?.bind(s.events);
        if (!many) return;
        const a = anEvent(A, "p-get-many", { messageId: "gm-1", properties: { n: 1 } });
        const b = anEvent(A, "p-get-many", { messageId: "gm-2", properties: { n: 2 } });
        const elsewhere = anEvent(B, "p-get-many", { messageId: "gm-3" });
        await s.events.appendMany([a, b, elsewhere]);
        expect(await many(A, ["gm-2", "missing", "gm-1", "gm-3", "gm-2"])).toEqual([b, null, a, null, b]);
        expect(await many(B, ["gm-1", "gm-3"])).toEqual([null, elsewhere]);
        expect(await many(A, [])).toEqual([]);
      });

      test("appendMany reports each event, duplicates inside the batch too", async () => {
        const a = anEvent(A, "p-many", { messageId: "mm-1" });
        const b = anEvent(A, "p-many", { messageId: "mm-2" });
        expect(await s.events.appendMany([a, b, { ...a, id: "x" }])).toEqual([true, true, false]);
        expect(await s.events.appendMany([b])).toEqual([false]);
      });

      test("counts and sums by name, property and window", async () => {
        const pid = "p-count";
        const mk = (name: string, ts: number, props: Record<string, unknown>) => anEvent(A, pid, { name, timestamp: ts, properties: props });
        await s.events.appendMany([
          mk("purchase", 100, { amount: 10, sku: "a" }),
          mk("purchase", 200, { amount: 15.5, sku: "b" }),
          mk("purchase", 300, { amount: "n/a", sku: "a" }),
          mk("purchase", 400, { amount: 99, sku: "a" }),
          mk("login", 250, {}),
        ]);
        const q = { profileId: pid, name: "purchase", from: 100, to: 400 };
        expect(await s.events.count(A, q)).toBe(3);
        expect(await s.events.sum(A, q, "amount")).toBe(25.5);
        expect(await s.events.count(A, { ...q, where: [{ property: "sku", op: "eq", value: "a" }] })).toBe(2);
        expect(await s.events.count(B, q)).toBe(0);
        expect(await s.events.lastAt(A, pid, "purchase")).toBe(400);
        expect(await s.events.lastAt(A, pid, null)).toBe(400);
        expect(await s.events.lastAt(A, pid, "logout")).toBeNull();
        const recent = await s.events.listByProfile(A, pid, { limit: 2 });
        expect(recent.map((e) => e.timestamp)).toEqual([400, 300]);
      });

      test("timeline: newest points first, a summed property, any name, filters, limit; follows a reassign", async () => {
        const pid = "p-timeline";
        const mk = (name: string, ts: number, props: Record<string, unknown>) => anEvent(A, pid, { name, timestamp: ts, properties: props });
        await s.events.appendMany([
          mk("purchase", 100, { amount: 10, sku: "a" }),
          mk("purchase", 300, { amount: "n/a", sku: "a" }),
          mk("purchase", 200, { amount: 5.5, sku: "b" }),
          mk("login", 250, {}),
          mk("purchase", 400, { amount: 1 }),
        ]);
        const q = { profileId: pid, name: "purchase", from: 100, to: 400 };
        expect(await s.events.timeline(A, q, { limit: 10 })).toEqual([
          { timestamp: 300, value: 1 },
          { timestamp: 200, value: 1 },
          { timestamp: 100, value: 1 },
        ]);
        expect(await s.events.timeline(A, q, { limit: 2, sumOf: "amount" })).toEqual([
          { timestamp: 300, value: 0 },
          { timestamp: 200, value: 5.5 },
        ]);
        const skuA = await s.events.timeline(A, { ...q, where: [{ property: "sku", op: "eq", value: "a" }] }, { limit: 10 });
        expect(skuA.map((p) => p.timestamp)).toEqual([300, 100]);
        expect((await s.events.timeline(A, { ...q, name: null }, { limit: 10 })).map((p) => p.timestamp)).toEqual([300, 250, 200, 100]);
        expect(await s.events.timeline(B, q, { limit: 10 })).toEqual([]);
        await s.events.reassignProfile(A, pid, "p-timeline-2");
        expect(await s.events.timeline(A, { ...q, name: null }, { limit: 10 })).toEqual([]);
        const moved = await s.events.timeline(A, { ...q, profileId: "p-timeline-2", name: null, to: 401 }, { limit: 10 });
        expect(moved.map((p) => p.timestamp)).toEqual([400, 300, 250, 200, 100]);
        expect(await s.events.lastAt(A, "p-timeline-2", "login")).toBe(250);
      });

      test("unprocessed events are listed oldest first until marked", async () => {
        const ws = B;
        const e1 = anEvent(ws, "p-unproc", { receivedAt: 10 });
        const e2 = anEvent(ws, "p-unproc", { receivedAt: 20 });
        await s.events.appendMany([e2, e1]);
        const before = (await s.events.listUnprocessed(ws, 100)).filter((e) => e.profileId === "p-unproc");
        expect(before.map((e) => e.id)).toEqual([e1.id, e2.id]);
        await s.events.markProcessed(ws, [e1.id], 50);
        const after = (await s.events.listUnprocessed(ws, 100)).filter((e) => e.profileId === "p-unproc");
        expect(after.map((e) => e.id)).toEqual([e2.id]);
        expect((await s.events.getByMessageId(ws, e1.messageId))?.processedAt).toBe(50);
      });

      test("reassign, delete by profile and retention", async () => {
        await s.events.appendMany([anEvent(A, "p-from", { timestamp: 10 }), anEvent(A, "p-from", { timestamp: 5_000 })]);
        await s.events.reassignProfile(A, "p-from", "p-to");
        expect(await s.events.listByProfile(A, "p-from", { limit: 10 })).toEqual([]);
        expect(await s.events.listByProfile(A, "p-to", { limit: 10 })).toHaveLength(2);
        expect(await s.events.deleteOlderThan(A, 11)).toBeGreaterThanOrEqual(1);
        expect(await s.events.listByProfile(A, "p-to", { limit: 10 })).toHaveLength(1);
        expect(await s.events.deleteByProfile(A, "p-to")).toBe(1);
        expect(await s.events.deleteByProfile(A, "p-to")).toBe(0);
      });
    });

    describe("journeys", () => {
      test("versions increase and heads keep status", async () => {
        const v1 = await s.journeys.putVersion(A, aJourney("j1"), 10);
        const v2 = await s.journeys.putVersion(A, { ...aJourney("j1"), name: "second" }, 20);
        expect([v1.version, v2.version]).toEqual([1, 2]);
        expect((await s.journeys.getVersion(A, "j1", 1))?.definition).toEqual(aJourney("j1"));
        expect((await s.journeys.getVersion(A, "j1", 2))?.definition.name).toBe("second");
        expect(await s.journeys.getVersion(A, "j1", 3)).toBeNull();
        const head = await s.journeys.getHead(A, "j1");
        expect(head).toMatchObject({ status: "draft", latestVersion: 2, publishedVersion: null });
        await s.journeys.saveHead({ ...head!, status: "published", publishedVersion: 1, updatedAt: 30 });
        await s.journeys.putVersion(A, aJourney("j1"), 40);
        expect(await s.journeys.getHead(A, "j1")).toMatchObject({ status: "published", latestVersion: 3, publishedVersion: 1 });
        expect(await s.journeys.getHead(B, "j1")).toBeNull();
        expect((await s.journeys.listHeads(A)).map((h) => h.journeyId)).toContain("j1");
        await s.journeys.delete(A, "j1");
        await s.journeys.delete(A, "j1");
        expect(await s.journeys.getHead(A, "j1")).toBeNull();
        expect(await s.journeys.getVersion(A, "j1", 1)).toBeNull();
      });
    });

    describe("enrollments", () => {
      test("create is idempotent by id; update checks rev", async () => {
        const e = anEnrollment(A, "p-enr", { id: "enr-1" });
        expect(await s.enrollments.create(e)).toBe(true);
        expect(await s.enrollments.create(e)).toBe(false);
        expect(await s.enrollments.get(A, "enr-1")).toEqual(e);
        expect(await s.enrollments.get(B, "enr-1")).toBeNull();
        const moved = await s.enrollments.update({ ...e, stepId: "wait", visit: 2, context: { x: 1 } });
        expect(moved.rev).toBe(1);
        await expect(s.enrollments.update({ ...e, stepId: "stale" })).rejects.toBeInstanceOf(ConflictError);
        expect((await s.enrollments.get(A, "enr-1"))?.stepId).toBe("wait");
      });

      test("latest, list by profile, counts, reassign, delete", async () => {
        await s.enrollments.create(anEnrollment(A, "p-lat", { id: "lat-1", journeyId: "jl", enteredAt: 10, state: "completed" }));
        await s.enrollments.create(anEnrollment(A, "p-lat", { id: "lat-2", journeyId: "jl", enteredAt: 20 }));
        await s.enrollments.create(anEnrollment(A, "p-lat", { id: "lat-3", journeyId: "other", enteredAt: 30 }));
        expect((await s.enrollments.latest(A, "jl", "p-lat"))?.id).toBe("lat-2");
        expect(await s.enrollments.latest(A, "none", "p-lat")).toBeNull();
        expect((await s.enrollments.listByProfile(A, "p-lat", { state: "active" })).map((e) => e.id).sort()).toEqual(["lat-2", "lat-3"]);
        expect(await s.enrollments.countByJourney(A, "jl")).toEqual({ active: 1, completed: 1, exited: 0 });
        await s.enrollments.reassignProfile(A, "p-lat", "p-lat2");
        expect(await s.enrollments.listByProfile(A, "p-lat")).toEqual([]);
        expect(await s.enrollments.deleteByProfile(A, "p-lat2")).toBe(3);
      });

      test("countConverted counts conversions of one journey by convertedAt, bounds optional", async () => {
        await s.enrollments.create(anEnrollment(A, "p-conv", { id: "conv-1", journeyId: "jc", convertedAt: 100, state: "completed" }));
        await s.enrollments.create(anEnrollment(A, "p-conv", { id: "conv-2", journeyId: "jc", convertedAt: 200 }));
        await s.enrollments.create(anEnrollment(A, "p-conv", { id: "conv-3", journeyId: "jc", convertedAt: null }));
        await s.enrollments.create(anEnrollment(A, "p-conv", { id: "conv-4", journeyId: "other", convertedAt: 150 }));
        expect(await s.enrollments.countConverted(A, "jc")).toBe(2);
        expect(await s.enrollments.countConverted(A, "jc", { from: 100, to: 200 })).toBe(1);
        expect(await s.enrollments.countConverted(A, "jc", { from: 101 })).toBe(1);
        expect(await s.enrollments.countConverted(B, "jc")).toBe(0);
      });
    });

    describe("timers", () => {
      test("due timers are claimed once until the lease ends", async () => {
        const ws = B;
        await s.timers.schedule({ workspaceId: ws, id: "t-late", dueAt: 500, kind: "k", payload: { n: 2 } });
        await s.timers.schedule({ workspaceId: ws, id: "t-early", dueAt: 100, kind: "k", payload: { n: 1 } });
        await s.timers.schedule({ workspaceId: ws, id: "t-future", dueAt: 10_000, kind: "k", payload: {} });
        expect(await s.timers.nextDueAt(ws)).toBe(100);
        const first = await s.timers.claimDue(ws, 600, 10, 1_000);
        expect(first.map((t) => t.id)).toEqual(["t-early", "t-late"]);
        expect(first[0]).toEqual({ workspaceId: ws, id: "t-early", dueAt: 100, kind: "k", payload: { n: 1 } });
        expect(await s.timers.claimDue(ws, 700, 10, 1_000)).toEqual([]);
        const again = await s.timers.claimDue(ws, 1_700, 10, 1_000);
        expect(again.map((t) => t.id)).toEqual(["t-early", "t-late"]);
        await s.timers.complete(ws, "t-early", 100);
        expect(await s.timers.get(ws, "t-early")).toBeNull();
        expect(await s.timers.claimDue(A, 600, 10, 1_000)).toEqual([]);
      });

      test("scheduling an existing id replaces it; a rescheduled timer survives complete", async () => {
        await s.timers.schedule({ workspaceId: A, id: "t-re", dueAt: 100, kind: "k", payload: {} });
        const [claimed] = await s.timers.claimDue(A, 100, 10, 1_000);
        expect(claimed?.id).toBe("t-re");
        await s.timers.schedule({ workspaceId: A, id: "t-re", dueAt: 900, kind: "k", payload: { again: true } });
        await s.timers.complete(A, "t-re", 100);
        expect(await s.timers.get(A, "t-re")).toEqual({ workspaceId: A, id: "t-re", dueAt: 900, kind: "k", payload: { again: true } });
        expect((await s.timers.claimDue(A, 900, 10, 1_000)).map((t) => t.id)).toEqual(["t-re"]);
        await s.timers.cancel(A, "t-re");
        await s.timers.cancel(A, "t-re");
        expect(await s.timers.get(A, "t-re")).toBeNull();
      });

      test("claims respect the limit", async () => {
        for (let i = 0; i < 5; i++) await s.timers.schedule({ workspaceId: A, id: `t-lim-${i}`, dueAt: 50 + i, kind: "k", payload: {} });
        expect(await s.timers.claimDue(A, 60, 3, 1_000)).toHaveLength(3);
        expect(await s.timers.claimDue(A, 60, 3, 1_000)).toHaveLength(2);
      });
    });

    describe("message log", () => {
      test("insert dedupes by idempotency key and round-trips", async () => {
        const m = aMessage(A, "p-msg", { idempotencyKey: "enr:step:1" });
        const first = await s.messages.insert(m);
        expect(first.inserted).toBe(true);
        const second = await s.messages.insert({ ...m, id: "other" });
        expect(second).toEqual({ inserted: false, message: m });
        expect(await s.messages.get(A, m.id)).toEqual(m);
        expect(await s.messages.getByKey(A, "enr:step:1")).toEqual(m);
        expect(await s.messages.getByKey(B, "enr:step:1")).toBeNull();
      });

      test("delivery status updates and attempts; lookup by provider id", async () => {
        const m = aMessage(A, "p-msg2");
        await s.messages.insert(m);
        const sent = {
          ...m,
          status: "sent" as const,
          sentAt: 2_000,
          attempts: [
            { attempt: 1, channel: "sms", provider: "nhncloud", at: 1_500, status: "failed" as const, errorCode: "NUDGE_CHANNEL_UNAVAILABLE", providerCode: "-1" },
            { attempt: 2, channel: "email", provider: "smtp", at: 2_000, status: "sent" as const, providerMessageId: "prov-42", cost: { amount: 8.4, currency: "KRW" } },
          ],
          decisions: [{ at: 1_400, policy: "quiet-hours", outcome: "defer" as const, reason: "night", until: 1_500 }],
        };
        await s.messages.update(sent);
        expect(await s.messages.get(A, m.id)).toEqual(sent);
        expect((await s.messages.findByProviderMessageId(A, "prov-42"))?.id).toBe(m.id);
        expect(await s.messages.findByProviderMessageId(B, "prov-42")).toBeNull();
      });

      test("lookup by provider id follows the stored attempts, whichever write stored them", async () => {
        const attempt = (n: number, providerMessageId: string) => ({ attempt: n, channel: "sms", provider: "solapi", at: 1_000 + n, status: "retrying" as const, providerMessageId });
        const m = aMessage(A, "p-msg-prov", { attempts: [attempt(1, "prov-ins")] });
        await s.messages.insert(m);
        expect((await s.messages.findByProviderMessageId(A, "prov-ins"))?.id).toBe(m.id);
        const claimed = { ...m, status: "sending" as const, attempts: [attempt(1, "prov-ins"), attempt(2, "prov-claim")] };
        // A claim needs the attempts the stored copy has: store the second one first, as a retry would.
        await s.messages.update({ ...m, attempts: claimed.attempts, status: "queued" });
        expect(await s.messages.claimSend({ ...claimed, attempts: [...claimed.attempts, attempt(3, "prov-3")] }, [])).toMatchObject({ claimed: false });
        expect(await s.messages.claimSend(claimed, [])).toEqual({ claimed: true });
        expect((await s.messages.findByProviderMessageId(A, "prov-claim"))?.id).toBe(m.id);
        // Update replaces the message: an attempt it no longer holds no longer finds it.
        await s.messages.update({ ...m, status: "sent", attempts: [attempt(1, "prov-other")] });
        expect((await s.messages.findByProviderMessageId(A, "prov-other"))?.id).toBe(m.id);
        expect(await s.messages.findByProviderMessageId(A, "prov-ins")).toBeNull();
        expect(await s.messages.findByProviderMessageId(A, "prov-claim")).toBeNull();
      });

      test("insert of a message already stored under its own id (a retried insert) reports it inserted", async () => {
        const m = aMessage(A, "p-msg-retry", { idempotencyKey: "retry:1" });
        expect((await s.messages.insert(m)).inserted).toBe(true);
        expect(await s.messages.insert(m)).toEqual({ inserted: true, message: m });
        expect((await s.messages.insert({ ...m, id: "someone-else" })).inserted).toBe(false);
      });

      test("list filters and pages newest first; countSent for caps", async () => {
        const pid = "p-list";
        for (let i = 0; i < 5; i++) {
          await s.messages.insert(
            aMessage(A, pid, { createdAt: 100 + i, status: i % 2 ? "sent" : "suppressed", sentAt: i % 2 ? 100 + i : null, channel: i < 3 ? "sms" : "email", marketing: i !== 3 }),
          );
        }
        const page1 = await s.messages.list(A, { profileId: pid, limit: 3 });
        expect(page1.items.map((m) => m.createdAt)).toEqual([104, 103, 102]);
        const page2 = await s.messages.list(A, { profileId: pid, limit: 3, cursor: page1.nextCursor });
        expect(page2.items.map((m) => m.createdAt)).toEqual([101, 100]);
        expect(page2.nextCursor).toBeNull();
        expect((await s.messages.list(A, { profileId: pid, status: "sent", limit: 10 })).items).toHaveLength(2);
        expect(await s.messages.countSent(A, { profileId: pid, since: 0 })).toBe(2);
        expect(await s.messages.countSent(A, { profileId: pid, since: 102 })).toBe(1);
        expect(await s.messages.countSent(A, { profileId: pid, since: 0, channel: "sms" })).toBe(1);
        expect(await s.messages.countSent(A, { profileId: pid, since: 0, marketing: true })).toBe(1);
        expect(await s.messages.countSent(B, { profileId: pid, since: 0 })).toBe(0);
      });

      test("list by send time: sentFrom inclusive, sentBefore exclusive, never-sent messages left out, paged", async () => {
        const pid = "p-sent-window";
        for (let i = 0; i < 6; i++) {
          // Sent at 1000, 1010 ... 1050, created in the opposite order; one more was never sent.
          await s.messages.insert(aMessage(A, pid, { status: "sent", createdAt: 500 - i, sentAt: 1000 + 10 * i }));
        }
        await s.messages.insert(aMessage(A, pid, { status: "queued", createdAt: 600, sentAt: null }));
        await s.messages.insert(aMessage(B, pid, { status: "sent", createdAt: 500, sentAt: 1020 }));
        const sentAt = async (q: { sentFrom?: number; sentBefore?: number; limit: number; cursor?: string | null }) => {
          const page = await s.messages.list(A, { profileId: pid, ...q });
          return { at: page.items.map((m) => m.sentAt), next: page.nextCursor };
        };
        expect((await sentAt({ sentFrom: 1010, sentBefore: 1040, limit: 10 })).at).toEqual([1010, 1020, 1030]);
        expect((await sentAt({ sentFrom: 1045, limit: 10 })).at).toEqual([1050]);
        expect((await sentAt({ sentBefore: 1001, limit: 10 })).at).toEqual([1000]);
        const first = await sentAt({ sentFrom: 1000, sentBefore: 1060, limit: 4 });
        expect(first.at).toEqual([1000, 1010, 1020, 1030]); // newest created first
        expect((await sentAt({ sentFrom: 1000, sentBefore: 1060, limit: 4, cursor: first.next })).at).toEqual([1040, 1050]);
        expect((await s.messages.list(A, { profileId: pid, status: "sent", sentFrom: 1020, sentBefore: 1021, limit: 10 })).items).toHaveLength(1);
      });

      test("claimSend: only a queued or deferred copy with the same attempts is claimed", async () => {
        const m = aMessage(A, "p-claim", { status: "deferred" });
        await s.messages.insert(m);
        const sending = { ...m, status: "sending" as const, updatedAt: 2_000 };
        expect(await s.messages.claimSend(sending, [])).toEqual({ claimed: true });
        expect(await s.messages.get(A, m.id)).toEqual(sending);
        // A second worker holding the same read loses.
        expect(await s.messages.claimSend(sending, [])).toEqual({ claimed: false, reason: "status", status: "sending" });
        const retried = {
          ...sending,
          status: "queued" as const,
          attempts: [{ attempt: 1, channel: "sms", provider: "p", at: 2_000, status: "retrying" as const }],
        };
        await s.messages.update(retried);
        // A stale read (no attempts) is refused: somebody tried a channel since.
        expect(await s.messages.claimSend({ ...sending, attempts: [] }, [])).toMatchObject({ claimed: false, reason: "status" });
        expect(await s.messages.claimSend({ ...retried, status: "sending" }, [])).toEqual({ claimed: true });
        const absent = aMessage(A, "p-claim", { status: "sending" });
        expect(await s.messages.claimSend(absent, [])).toMatchObject({ claimed: false, reason: "status" });
      });

      test("claimSend: limits count sent, delivered and sending messages in their window, never the claimed one", async () => {
        const pid = "p-limit";
        const rows = [
          aMessage(A, pid, { status: "sent", sentAt: 1_000, channel: "sms" }),
          aMessage(A, pid, { status: "delivered", sentAt: 5_000, channel: "kakao" }),
          aMessage(A, pid, { status: "sending", updatedAt: 6_000, channel: "sms", journeyId: "j2" }),
          aMessage(A, pid, { status: "suppressed", channel: "sms" }),
          aMessage(A, pid, { status: "aborted", channel: "sms" }),
          aMessage(A, pid, { status: "sent", sentAt: 7_000, marketing: false }),
          aMessage(A, "someone-else", { status: "sent", sentAt: 7_000 }),
          aMessage(B, pid, { status: "sent", sentAt: 7_000 }),
        ];
        for (const r of rows) await s.messages.insert(r);
        const m = aMessage(A, pid);
        await s.messages.insert(m);
        const claim = (limits: Parameters<MessageStore["claimSend"]>[1]) => s.messages.claimSend({ ...m, status: "sending", updatedAt: 8_000 }, limits);
        expect(await claim([{ id: "daily", max: 3, since: 0, marketing: true }])).toEqual({ claimed: false, reason: "limit", limitId: "daily", count: 3 });
        expect(await claim([{ id: "sms", max: 2, since: 0, channel: "sms", marketing: true }])).toEqual({ claimed: false, reason: "limit", limitId: "sms", count: 2 });
        expect(await claim([{ id: "late", max: 1, since: 6_500, marketing: true }])).toEqual({ claimed: true });
        // Now claimed (sending): it never counts toward its own limits, but counts for the next one.
        await s.messages.update({ ...m, status: "queued" });
        expect(await claim([{ id: "j2", max: 2, since: 0, journeyId: "j2" }])).toEqual({ claimed: true });
        const next = aMessage(A, pid);
        await s.messages.insert(next);
        expect(await s.messages.claimSend({ ...next, status: "sending" }, [{ id: "j2", max: 2, since: 0, journeyId: "welcome", marketing: true, channel: "sms" }])).toEqual({
          claimed: false,
          reason: "limit",
          limitId: "j2",
          count: 2,
        });
      });

      test("claimSend with several limits: every one is counted, the first reached (in order) refuses", async () => {
        const pid = "p-limits";
        for (const channel of ["sms", "sms", "kakao"]) await s.messages.insert(aMessage(A, pid, { status: "sent", sentAt: 1_000, channel }));
        const m = aMessage(A, pid);
        await s.messages.insert(m);
        const claim = (limits: Parameters<MessageStore["claimSend"]>[1]) => s.messages.claimSend({ ...m, status: "sending", updatedAt: 8_000 }, limits);
        const all = { id: "all", max: 3, since: 0 };
        const sms = { id: "sms", max: 2, since: 0, channel: "sms" };
        const kakao = { id: "kakao", max: 2, since: 0, channel: "kakao" };
        expect(await claim([kakao, sms, all])).toEqual({ claimed: false, reason: "limit", limitId: "sms", count: 2 });
        expect(await claim([all, sms])).toEqual({ claimed: false, reason: "limit", limitId: "all", count: 3 });
        expect(await claim([kakao, { ...all, max: 4 }])).toEqual({ claimed: true });
      });

      test("claimSend counts follow merges, updates and deletions of the person's messages", async () => {
        const [from, to] = ["p-merge-from", "p-merge-to"];
        const old = aMessage(A, from, { status: "sent", sentAt: 1_000, createdAt: 10 });
        const recent = aMessage(A, from, { status: "queued", createdAt: 5_000 });
        for (const m of [old, recent]) await s.messages.insert(m);
        await s.messages.update({ ...recent, status: "sent", sentAt: 5_000 });
        const cap = [{ id: "cap", max: 2, since: 0 }];
        const claimFor = async (pid: string) => {
          const m = aMessage(A, pid, { createdAt: 9_000 });
          await s.messages.insert(m);
          return s.messages.claimSend({ ...m, status: "sending", updatedAt: 9_000 }, cap);
        };
        await s.messages.reassignProfile(A, from, to);
        expect(await claimFor(from)).toEqual({ claimed: true });
        expect(await claimFor(to)).toEqual({ claimed: false, reason: "limit", limitId: "cap", count: 2 });
        expect(await s.messages.deleteOlderThan(A, 100)).toBeGreaterThanOrEqual(1);
        expect(await claimFor(to)).toEqual({ claimed: true });
      });

      test("callers never share state with the store: later changes to a written or read message are not stored", async () => {
        const m = aMessage(A, "p-iso", {
          attempts: [{ attempt: 1, channel: "sms", provider: "p", at: 1_500, status: "retrying", cost: { amount: 0, currency: "KRW" }, details: { devices: ["a"] } }],
          decisions: [{ at: 1_400, policy: "quiet-hours", outcome: "defer", reason: "night", until: 1_500 }],
        });
        const expected = structuredClone(m);
        const { message: returned } = await s.messages.insert(m);
        const scribble = (x: typeof m) => {
          x.status = "failed";
          x.channels.push("push");
          (x.content!["sms"] as { text: string }).text = "changed";
          x.attempts[0]!.cost!.amount = 99;
          (x.attempts[0]!.details!["devices"] as string[]).push("b");
          x.attempts.push({ ...x.attempts[0]!, attempt: 2 });
          x.decisions[0]!.reason = "changed";
        };
        scribble(m);
        scribble(returned);
        scribble((await s.messages.get(A, expected.id))!);
        expect(await s.messages.get(A, expected.id)).toEqual(expected);

        const claimed = structuredClone({ ...expected, status: "sending" as const });
        expect(await s.messages.claimSend(claimed, [])).toEqual({ claimed: true });
        scribble(claimed);
        expect(await s.messages.get(A, expected.id)).toEqual({ ...expected, status: "sending" });

        const updated = structuredClone({ ...expected, status: "sent" as const });
        await s.messages.update(updated);
        scribble(updated);
        scribble((await s.messages.list(A, { profileId: "p-iso", limit: 1 })).items[0]!);
        expect(await s.messages.getByKey(A, expected.idempotencyKey)).toEqual({ ...expected, status: "sent" });
      });

      test("claimSend is atomic: 50 concurrent claims under a limit of 2 yield exactly 2", async () => {
        const pid = "p-race";
        const ms = Array.from({ length: 50 }, () => aMessage(A, pid));
        for (const m of ms) await s.messages.insert(m);
        const results = await Promise.all(ms.map((m) => s.messages.claimSend({ ...m, status: "sending", updatedAt: 9_000 }, [{ id: "cap", max: 2, since: 0 }])));
        expect(results.filter((r) => r.claimed)).toHaveLength(2);
        expect(results.filter((r) => !r.claimed && r.reason === "limit")).toHaveLength(48);
      });

      test("insertClaimed (when offered): stores a new message as claimed, answers a taken key with the stored one, a reached limit with nothing stored", async () => {
        const store = s.messages;
        if (!store.insertClaimed) return;
        const pid = "p-new-claim";
        const sending = (over: Partial<Message> = {}) => aMessage(A, pid, { status: "sending", sentAt: null, updatedAt: 9_000, ...over });
        const cap = [{ id: "cap", max: 1, since: 0, channel: "sms" }];
        const first = sending({ idempotencyKey: "new:1" });
        expect(await store.insertClaimed(first, cap)).toEqual({ claimed: true });
        expect(await store.get(A, first.id)).toEqual(first);
        expect(await store.getByKey(A, "new:1")).toEqual(first);
        // A retried call finds its own row: still a claim, nothing doubled.
        expect(await store.insertClaimed(first, cap)).toEqual({ claimed: true });
        // The key is taken: the stored message comes back, and nothing is written, under any limit.
        const twin = sending({ idempotencyKey: "new:1", content: { sms: { text: "other" } } });
        expect(await store.insertClaimed(twin, [])).toEqual({ claimed: false, reason: "duplicate", message: first });
        expect(await store.insertClaimed(twin, cap)).toEqual({ claimed: false, reason: "duplicate", message: first });
        expect(await store.get(A, twin.id)).toBeNull();
        // The first one, sending, counts toward the cap: a second key is refused and not stored.
        const second = sending({ idempotencyKey: "new:2" });
        expect(await store.insertClaimed(second, cap)).toEqual({ claimed: false, reason: "limit", limitId: "cap", count: 1 });
        expect(await store.get(A, second.id)).toBeNull();
        expect(await store.getByKey(A, "new:2")).toBeNull();
        // A limit counts only its channel's messages; provider ids given with the message are looked up like any others.
        const email = sending({ idempotencyKey: "new:3", channel: "email", attempts: [{ attempt: 1, channel: "email", provider: "smtp", at: 8_000, status: "retrying", providerMessageId: "prov-new-3" }] });
        expect(await store.insertClaimed(email, [{ ...cap[0]!, channel: "email" }])).toEqual({ claimed: true });
        expect((await store.findByProviderMessageId(A, "prov-new-3"))?.id).toBe(email.id);
        // Workspaces do not share keys.
        expect(await store.insertClaimed({ ...sending({ idempotencyKey: "new:1" }), workspaceId: B }, cap)).toEqual({ claimed: true });
      });

      test("insertClaimed (when offered) is atomic: 50 concurrent new messages under a limit of 2 store exactly 2, and one key stores once", async () => {
        const store = s.messages;
        if (!store.insertClaimed) return;
        const ms = Array.from({ length: 50 }, () => aMessage(A, "p-new-race", { status: "sending", updatedAt: 9_000 }));
        const results = await Promise.all(ms.map((m) => store.insertClaimed!(m, [{ id: "cap", max: 2, since: 0 }])));
        expect(results.filter((r) => r.claimed)).toHaveLength(2);
        expect(results.filter((r) => !r.claimed && r.reason === "limit")).toHaveLength(48);
        expect((await store.list(A, { profileId: "p-new-race", limit: 100 })).items).toHaveLength(2);
        // 20 concurrent calls with one key, for different people (no shared lock): one claim, 19 duplicates of it.
        const same = Array.from({ length: 20 }, (_, i) => aMessage(A, `p-same-key-${i}`, { idempotencyKey: "same:key", status: "sending", updatedAt: 9_000 }));
        const answers = await Promise.all(same.map((m) => store.insertClaimed!(m, [])));
        const winner = same[answers.findIndex((r) => r.claimed)]!;
        expect(answers.filter((r) => r.claimed)).toHaveLength(1);
        expect(answers.filter((r) => !r.claimed && r.reason === "duplicate" && r.message.id === winner.id)).toHaveLength(19);
      });

      test("spend groups costed attempts by journey, step, channel and currency", async () => {
        const at = (n: number, channel: string, amount: number | null, t: number) => ({
          attempt: n,
          channel,
          provider: "p",
          at: t,
          status: "sent" as const,
          ...(amount === null ? {} : { cost: { amount, currency: "KRW" } }),
        });
        await s.messages.insert(aMessage(A, "p-spend", { journeyId: "js", stepId: "s1", attempts: [at(1, "kakao", 0, 100), at(2, "sms", 30, 100)] }));
        await s.messages.insert(aMessage(A, "p-spend", { journeyId: "js", stepId: "s1", attempts: [at(1, "kakao", 15, 200)] }));
        await s.messages.insert(aMessage(A, "p-spend", { journeyId: "js", stepId: "s2", attempts: [at(1, "sms", 30, 300), at(2, "sms", null, 300)] }));
        await s.messages.insert(aMessage(A, "p-spend", { journeyId: null, stepId: null, attempts: [at(1, "sms", 9.9, 300)] }));
        const rows = await s.messages.spend(A, { journeyId: "js" });
        const key = (r: { stepId: string | null; channel: string }) => `${r.stepId}/${r.channel}`;
        expect(rows.sort((a, b) => key(a).localeCompare(key(b)))).toEqual([
          { journeyId: "js", stepId: "s1", channel: "kakao", currency: "KRW", amount: 15, attempts: 2, messages: 2 },
          { journeyId: "js", stepId: "s1", channel: "sms", currency: "KRW", amount: 30, attempts: 1, messages: 1 },
          { journeyId: "js", stepId: "s2", channel: "sms", currency: "KRW", amount: 30, attempts: 1, messages: 1 },
        ]);
        const windowed = await s.messages.spend(A, { from: 200, to: 300 });
        expect(windowed.filter((r) => r.journeyId === "js")).toEqual([{ journeyId: "js", stepId: "s1", channel: "kakao", currency: "KRW", amount: 15, attempts: 1, messages: 1 }]);
        expect((await s.messages.spend(A, {})).find((r) => r.journeyId === null)).toMatchObject({ amount: 9.9, messages: 1 });
        expect(await s.messages.spend(B, {})).toEqual([]);
      });

      test("reassign moves a person's messages to another profile", async () => {
        const m = aMessage(A, "p-msg-from");
        await s.messages.insert(m);
        await s.messages.reassignProfile(A, "p-msg-from", "p-msg-to");
        await s.messages.reassignProfile(B, "p-msg-to", "p-elsewhere");
        expect((await s.messages.get(A, m.id))?.profileId).toBe("p-msg-to");
        expect((await s.messages.list(A, { profileId: "p-msg-to", limit: 10 })).items.map((x) => x.id)).toEqual([m.id]);
        expect((await s.messages.list(A, { profileId: "p-msg-from", limit: 10 })).items).toEqual([]);
      });

      test("redaction keeps metadata; retention deletes", async () => {
        const m = aMessage(A, "p-redact", { createdAt: 10 });
        await s.messages.insert(m);
        expect(await s.messages.redactByProfile(A, "p-redact")).toBe(1);
        const r = await s.messages.get(A, m.id);
        expect(r).toMatchObject({ content: null, recipient: null, status: "queued", channel: "sms" });
        const old = aMessage(A, "p-ret", { createdAt: 20 });
        await s.messages.insert(old);
        expect(await s.messages.redactOlderThan(A, 21)).toBeGreaterThanOrEqual(1);
        expect((await s.messages.get(A, old.id))?.content).toBeNull();
        expect(await s.messages.deleteOlderThan(A, 21)).toBeGreaterThanOrEqual(2);
        expect(await s.messages.get(A, old.id)).toBeNull();
      });
    });

    describe("segments and templates", () => {
      test("definitions and incremental membership", async () => {
        const def = { id: "vip", condition: { type: "trait" as const, trait: "tier", op: "eq" as const, value: "gold" } };
        await s.segments.put(A, def, 1);
        expect(await s.segments.get(A, "vip")).toEqual(def);
        expect(await s.segments.get(B, "vip")).toBeNull();
        expect(await s.segments.setMember(A, "vip", "p1", true, 1)).toBe(true);
        expect(await s.segments.setMember(A, "vip", "p1", true, 2)).toBe(false);
        expect(await s.segments.setMember(A, "vip", "p2", true, 2)).toBe(true);
        expect(await s.segments.isMember(A, "vip", "p1")).toBe(true);
        expect(await s.segments.isMember(B, "vip", "p1")).toBe(false);
        expect(await s.segments.segmentsOf(A, "p1")).toEqual(["vip"]);
        expect(await s.segments.countMembers(A, "vip")).toBe(2);
        const page = await s.segments.members(A, "vip", { limit: 1 });
        const next = await s.segments.members(A, "vip", { limit: 1, cursor: page.nextCursor });
        expect([...page.items, ...next.items].sort()).toEqual(["p1", "p2"]);
        expect(await s.segments.setMember(A, "vip", "p1", false, 3)).toBe(true);
        await s.segments.removeProfile(A, "p2");
        expect(await s.segments.countMembers(A, "vip")).toBe(0);
        await s.segments.delete(A, "vip");
        expect(await s.segments.list(A)).toEqual([]);
      });

      test("segmentsOf follows membership, segment deletion and profile removal", async () => {
        const cond = { type: "bucket" as const, from: 0, to: 10000 };
        await s.segments.put(A, { id: "so-a", condition: cond }, 1);
        await s.segments.put(A, { id: "so-b", condition: cond }, 1);
        await s.segments.setMember(A, "so-a", "p-so", true, 1);
        await s.segments.setMember(A, "so-b", "p-so", true, 1);
        await s.segments.setMember(A, "so-b", "p-so2", true, 1);
        expect(await s.segments.segmentsOf(A, "p-so")).toEqual(["so-a", "so-b"]);
        await s.segments.setMember(A, "so-a", "p-so", false, 2);
        expect(await s.segments.segmentsOf(A, "p-so")).toEqual(["so-b"]);
        await s.segments.delete(A, "so-b");
        expect(await s.segments.segmentsOf(A, "p-so")).toEqual([]);
        expect(await s.segments.segmentsOf(A, "p-so2")).toEqual([]);
        await s.segments.setMember(A, "so-a", "p-so2", true, 3);
        await s.segments.removeProfile(A, "p-so2");
        expect(await s.segments.segmentsOf(A, "p-so2")).toEqual([]);
        expect(await s.segments.isMember(A, "so-a", "p-so2")).toBe(false);
        await s.segments.delete(A, "so-a");
      });

      test("templates", async () => {
        const t = { id: "welcome", channel: "sms", content: { text: "안녕 {{ profile.traits.name }}" } };
        await s.templates.put(A, t, 1);
        expect(await s.templates.get(A, "welcome")).toEqual(t);
        expect(await s.templates.get(B, "welcome")).toBeNull();
        expect(await s.templates.list(A)).toEqual([t]);
        await s.templates.delete(A, "welcome");
        await s.templates.delete(A, "welcome");
        expect(await s.templates.get(A, "welcome")).toBeNull();
      });
    });
  });
}
