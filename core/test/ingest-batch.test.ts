import { describe, expect, it } from "vitest";
import { FakeClock, Tokens, ValidationError, createNudge, silentLogger, type Accepted, type Nudge, type Token } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { RecentEvents } from "../src/engine/ingest/recent-events.js";
import { makeNudge } from "./helpers.js";
import { publish, start, testChannels } from "./journeys-support.js";

/** Records the size of every appendMany call the instance's event store gets. */
function watchAppends(nudge: Nudge) {
  const appends: number[] = [];
  const store = nudge.resolve(Tokens.EventStore);
  const appendMany = store.appendMany.bind(store);
  store.appendMany = async (events) => (appends.push(events.length), appendMany(events));
  return { appends, store };
}

async function storedEvents(nudge: Nudge, profileId: string) {
  return nudge.resolve(Tokens.EventStore).listByProfile("acme", profileId, { limit: 100 });
}

describe("ingest: nudge.batch()", () => {
  it("refuses the whole batch naming every bad item by index, and stores nothing", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const { appends } = watchAppends(nudge);

    const bad = nudge.batch([
      { type: "track", userId: "u1", event: "viewed" },
      { type: "track", userId: "u1" },
      { type: "identify", userId: "u2", traits: { phone: "not a phone" } },
      { type: "track", event: "viewed" },
      { type: "alias", userId: "u3" },
    ] as never); // invalid on purpose: the types refuse these items too
    const err = (await bad.catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    const paths = err.issues.map((i) => i.path);
    expect(paths).toContain("[1].event");
    expect(paths).toContain("[2].traits.phone");
    expect(paths).toContain("[3].userId");
    expect(paths.some((p) => p.startsWith("[4]"))).toBe(true);
    expect(paths.some((p) => p.startsWith("[0]"))).toBe(false);
    expect(appends).toEqual([]);
    expect(await nudge.profiles.find({ userId: "u1" })).toBeNull();
    expect(await nudge.profiles.find({ userId: "u2" })).toBeNull();
    await expect(nudge.batch("not a list" as never)).rejects.toThrow(/must be an array/);
    await nudge.stop();
  });

  it("keeps each person's items in order, an identify linking the anonymous visitor, the others stored in one write", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    const { appends } = watchAppends(nudge);

    const t0 = clock.now();
    const results = await nudge.batch([
      { type: "track", anonymousId: "a1", event: "page_viewed", timestamp: t0 - 3000 },
      { type: "track", userId: "u2", event: "page_viewed" },
      { type: "identify", userId: "u1", anonymousId: "a1", traits: { name: "Minji", phone: "010-1234-5678" }, timestamp: t0 - 2000 },
      { type: "track", userId: "u1", event: "order_completed", properties: { total: 30_000 }, timestamp: t0 - 1000 },
      { type: "track", userId: "u2", event: "page_viewed" },
    ]);
    await nudge.drain();

    // u2's items share one write; the visitor who identifies goes item by item, as single calls do.
    expect(appends).toEqual([2]);
    expect(results.map((r) => r.accepted)).toEqual([true, true, true, true, true]);
    // The anonymous visitor and the identified person are one profile; u2 is another.
    const [anon, u2a, known, order, u2b] = results;
    expect(new Set([anon!.profileId, known!.profileId, order!.profileId]).size).toBe(1);
    expect(u2a!.profileId).toBe(u2b!.profileId);
    expect(u2a!.profileId).not.toBe(known!.profileId);
    const person = (await nudge.profiles.find({ anonymousId: "a1" }))!;
    expect(person.userId).toBe("u1");
    expect(person.traits).toMatchObject({ name: "Minji" });
    expect(person.contacts.phone).toBe("+821012345678");
    expect((await storedEvents(nudge, person.id)).map((e) => e.name)).toEqual(["order_completed", "identify", "page_viewed"]);
    // Every event was processed.
    expect(await nudge.resolve(Tokens.EventStore).listUnprocessed("acme", 100)).toEqual([]);
    await nudge.stop();
  });

  it("stores the events of people who name the same ids throughout in one write, one resolve per person", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const { appends, store } = watchAppends(nudge);
    const profiles = nudge.resolve(Tokens.ProfileStore);
    const getByUserId = profiles.getByUserId.bind(profiles);
    let lookups = 0;
    profiles.getByUserId = async (ws, id) => (lookups++, getByUserId(ws, id));
    const results = await nudge.batch(
      Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? { type: "identify", userId: `u${i % 10}`, traits: { n: i } } : { type: "track", userId: `u${i % 10}`, event: "viewed" })),
    );
    await nudge.drain();
    expect(appends).toEqual([300]);
    expect(lookups).toBe(10);
    // Known people are found together, in one store call: no lookup each.
    const idsByUserId = profiles.idsByUserId!.bind(profiles);
    const bulk: number[] = [];
    profiles.idsByUserId = async (ws, ids) => (bulk.push(ids.length), idsByUserId(ws, ids));
    await nudge.batch(Array.from({ length: 50 }, (_, i) => ({ type: "track", userId: `u${i % 10}`, event: "viewed" })));
    expect(bulk).toEqual([10]);
    expect(lookups).toBe(10);
    expect(new Set(results.map((r) => r.profileId)).size).toBe(10);
    // Traits applied in each person's order: the last identify of u0 (item 270) wins.
    expect((await nudge.profiles.find({ userId: "u0" }))?.traits).toEqual({ n: 270 });
    expect(await store.listUnprocessed("acme", 1000)).toEqual([]);
    await nudge.stop();
  });

  it("reports repeated messageIds (earlier, or twice in the batch) as duplicates, in item order, storing them once", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const first = await nudge.track({ userId: "u1", event: "viewed", messageId: "m-1" });
    const results = await nudge.batch([
      { type: "track", userId: "u1", event: "viewed", messageId: "m-1" },
      { type: "track", userId: "u1", event: "clicked", messageId: "m-2" },
      { type: "track", userId: "u1", event: "clicked", messageId: "m-2" },
      { type: "track", userId: "u3", event: "viewed" },
    ]);
    await nudge.drain();
    expect(results.map((r) => r.accepted)).toEqual([false, true, false, true]);
    expect(results[0]!.eventId).toBe(first.eventId);
    expect(results[2]!.eventId).toBe(results[1]!.eventId);
    expect((await storedEvents(nudge, first.profileId)).map((e) => e.messageId).sort()).toEqual(["m-1", "m-2"]);
    await nudge.stop();
  });

  it("a retried batch (every item a duplicate) is answered from one read of the stored events, as one read each would", async () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ type: "track" as const, userId: `u${i % 4}`, event: "viewed", messageId: `retry-${i}` }));
    const answers: Accepted[][] = [];
    for (const withMany of [true, false]) {
      const { nudge } = await makeNudge();
      await nudge.start();
      const store = nudge.resolve(Tokens.EventStore);
      if (!withMany) store.getManyByMessageId = undefined;
      const first = await nudge.batch(items);
      const reads = { one: 0, many: 0 };
      const one = store.getByMessageId.bind(store);
      store.getByMessageId = async (ws, id) => (reads.one++, one(ws, id));
      const many = store.getManyByMessageId?.bind(store);
      if (many) store.getManyByMessageId = async (ws, ids) => (reads.many++, many(ws, ids));
      const again = await nudge.batch(items);
      expect(again.every((r) => !r.accepted)).toBe(true);
      expect(again.map((r) => [r.eventId, r.profileId])).toEqual(first.map((r) => [r.eventId, r.profileId]));
      expect(reads).toEqual(withMany ? { one: 0, many: 1 } : { one: 30, many: 0 });
      answers.push(again);
      await nudge.stop();
    }
    expect(answers[0]!.map((r) => r.accepted)).toEqual(answers[1]!.map((r) => r.accepted));
  });

  it("journeys see each person's traits from an identify earlier in the same batch", async () => {
    const channels = testChannels(["sms"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, {
      id: "welcome",
      trigger: { type: "event", event: "signed_up" },
      steps: [{ id: "hello", type: "send", channel: "sms", content: { text: "Welcome, {{ profile.traits.name }}" } }],
    });
    await nudge.batch([
      { type: "identify", userId: "p1", traits: { name: "Minji" } },
      { type: "track", userId: "p1", event: "signed_up" },
      { type: "identify", userId: "p2", traits: { name: "Sam" } },
      { type: "track", userId: "p2", event: "signed_up" },
    ]);
    await nudge.drain();
    expect(channels.calls.map((c) => `${c.to}: ${c.text}`).sort()).toEqual(["p1: Welcome, Minji", "p2: Welcome, Sam"]);
    await nudge.stop();
  });
});

describe("ingest: settings.ingest, the rules every call follows", () => {
  const deep = (levels: number) => {
    let v: Record<string, unknown> = {};
    for (let i = 1; i < levels; i++) v = { a: v };
    return v;
  };

  it("refuses a timestamp too far ahead and JSON nested too deep, in code as over HTTP", async () => {
    const { nudge, clock } = await makeNudge();
    await nudge.start();
    const { appends } = watchAppends(nudge);
    await expect(nudge.track({ userId: "u1", event: "e", timestamp: clock.now() + 25 * 3600_000 })).rejects.toMatchObject({
      issues: [{ path: "timestamp", message: "must not be more than 24 h in the future" }],
    });
    // Levels count from the call itself: its traitsOnce holds at most 31 levels of objects.
    await expect(nudge.identify({ userId: "u1", traitsOnce: deep(32) })).rejects.toMatchObject({ issues: [{ path: "traitsOnce", message: "must not nest deeper than 32 levels" }] });
    // At the limits exactly: accepted.
    await nudge.track({ userId: "u1", event: "e", timestamp: clock.now() + 24 * 3600_000, properties: deep(31) });
    const err = (await nudge
      .batch([
        { type: "track", userId: "u2", event: "fine" },
        { type: "track", userId: "u2", event: "e", context: deep(40), timestamp: clock.now() + 48 * 3600_000 },
      ])
      .catch((e: unknown) => e)) as ValidationError;
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.issues).toEqual([
      { path: "[1].timestamp", message: "must not be more than 24 h in the future" },
      { path: "[1].context", message: "must not nest deeper than 32 levels" },
    ]);
    expect(appends).toEqual([]);
    expect(await nudge.profiles.find({ userId: "u2" })).toBeNull();
    await nudge.stop();
  });

  it("takes its limits from the settings, and refuses bad settings naming the field", async () => {
    const clock = new FakeClock("2026-03-02T01:00:00Z");
    const nudge = await createNudge({ workspace: "acme", plugins: [storageMemory()], logger: silentLogger(), clock, settings: { ingest: { maxFutureMs: 3_600_000, maxDepth: 4 } } });
    await nudge.start();
    await expect(nudge.track({ userId: "u1", event: "e", timestamp: clock.now() + 2 * 3_600_000 })).rejects.toMatchObject({ issues: [{ path: "timestamp", message: "must not be more than 1 h in the future" }] });
    await expect(nudge.track({ userId: "u1", event: "e", properties: deep(4) })).rejects.toMatchObject({ issues: [{ path: "properties", message: "must not nest deeper than 4 levels" }] });
    await nudge.track({ userId: "u1", event: "e", timestamp: clock.now() + 3_600_000, properties: deep(3) });
    await nudge.stop();
    await expect(createNudge({ workspace: "acme", plugins: [storageMemory()], logger: silentLogger(), settings: { ingest: { maxDepth: 1 } } })).rejects.toMatchObject({
      pluginId: "core",
      issues: [expect.objectContaining({ path: "settings.ingest.maxDepth" })],
    });
  });
});

describe("ingest: nudge.track() for a known person", () => {
  it("looks up the id alone (no profile read), and falls back to resolving for a new person or an alias", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const known = await nudge.identify({ userId: "u1", traits: { name: "Minji" } });
    const aliased = await nudge.profiles.alias({ userId: "u2", previousId: "crm-9" });
    const store = nudge.resolve(Tokens.ProfileStore);
    const reads: string[] = [];
    const getByUserId = store.getByUserId.bind(store);
    const idsByUserId = store.idsByUserId!.bind(store);
    store.getByUserId = async (ws, userId) => (reads.push(`profile:${userId}`), getByUserId(ws, userId));
    store.idsByUserId = async (ws, userIds) => (reads.push(`ids:${userIds.join(",")}`), idsByUserId(ws, userIds));

    expect((await nudge.track({ userId: "u1", event: "viewed" })).profileId).toBe(known.profileId);
    expect(reads).toEqual(["ids:u1"]);
    // A former id kept as an alias is not a userId: the lookup misses and resolve finds the person.
    reads.length = 0;
    expect((await nudge.track({ userId: "crm-9", event: "viewed" })).profileId).toBe(aliased.id);
    expect(reads).toEqual(["ids:crm-9", "profile:crm-9"]);
    // Someone new is created, as before.
    const fresh = await nudge.track({ userId: "u3", event: "viewed" });
    expect((await nudge.profiles.find({ userId: "u3" }))?.id).toBe(fresh.profileId);
    await nudge.stop();
  });
});

describe("ingest: events handed to their processing job", () => {
  it("a job processes the accepted event without reading it back from the store", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const store = nudge.resolve(Tokens.EventStore);
    const getByMessageId = store.getByMessageId.bind(store);
    let reads = 0;
    store.getByMessageId = async (ws, id) => (reads++, getByMessageId(ws, id));
    await nudge.batch(Array.from({ length: 50 }, (_, i) => ({ type: "track", userId: `u${i % 7}`, event: "viewed" })));
    await nudge.track({ userId: "u1", event: "viewed" });
    await nudge.drain();
    expect(reads).toBe(0);
    expect(await store.listUnprocessed("acme", 100)).toEqual([]);
    await nudge.stop();
  });

  it("forgets a person's pending events when they are merged away or erased", async () => {
    const recent = new RecentEvents();
    const event = (messageId: string, profileId: string) =>
      ({ workspaceId: "acme", id: messageId, messageId, type: "track", name: "x", profileId, userId: null, anonymousId: null, properties: {}, context: {}, timestamp: 0, receivedAt: 0, processedAt: null }) as const;
    recent.put(event("m1", "p1"));
    recent.put(event("m2", "p1"));
    recent.put(event("m3", "p2"));
    recent.forgetProfile("p1");
    expect(recent.take("m1")).toBeUndefined();
    expect(recent.take("m3")?.profileId).toBe("p2");
    expect(recent.take("m3")).toBeUndefined();
    expect(recent.size).toBe(0);
  });

  it("a merge and an erasure make the instance forget the pending events of the profile they remove", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    const recent = nudge.resolve(RecentEvents as unknown as Token<RecentEvents>);
    const visitor = await nudge.profiles.resolve({ anonymousId: "visitor" });
    const known = await nudge.profiles.resolve({ userId: "known" });
    const other = await nudge.profiles.resolve({ userId: "other" });
    const pending = (messageId: string, profileId: string) =>
      ({ workspaceId: "acme", id: messageId, messageId, type: "track", name: "x", profileId, userId: null, anonymousId: null, properties: {}, context: {}, timestamp: 0, receivedAt: 0, processedAt: null }) as const;
    recent.put(pending("m1", visitor.id));
    recent.put(pending("m2", other.id));
    recent.put(pending("m3", known.id));
    await nudge.profiles.mergeInto(visitor, known);
    expect(recent.take("m1")).toBeUndefined();
    await nudge.profiles.erase(other.id);
    expect(recent.take("m2")).toBeUndefined();
    expect(recent.take("m3")?.profileId).toBe(known.id);
    await nudge.stop();
  });
});

describe("ingest: events nothing reacts to", () => {
  async function queued(nudge: Nudge, run: () => Promise<unknown>): Promise<number> {
    const queue = nudge.resolve(Tokens.JobQueue);
    const add = queue.add.bind(queue);
    let jobs = 0;
    queue.add = async (job) => (job.name === "event.process" && jobs++, add(job));
    await run();
    queue.add = add;
    return jobs;
  }

  it("are stored already processed, queue no job, and still reach event.accepted listeners", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await publish(nudge, {
      id: "welcome",
      trigger: { type: "event", event: "signed_up" },
      steps: [{ id: "hello", type: "send", channel: "sandbox", content: { text: "Hi" } }],
    });
    await nudge.identify({ userId: "u1" });
    await nudge.drain();
    const heard: string[] = [];
    nudge.hooks.on("event.accepted", (e) => heard.push(e.name));
    const store = nudge.resolve(Tokens.EventStore);

    const jobs = await queued(nudge, async () => {
      await nudge.track({ userId: "u1", event: "page_viewed" });
      await nudge.batch([{ type: "track", userId: "u1", event: "page_viewed" }, { type: "track", userId: "u1", event: "clicked" }]);
    });
    expect(jobs).toBe(0);
    expect(heard).toEqual(["page_viewed", "page_viewed", "clicked"]);
    // Stored processed at once: nothing is left for a replay after a restart.
    expect(await store.listUnprocessed("acme", 100)).toEqual([]);

    // An event a published journey starts on is processed by its job.
    expect(await queued(nudge, () => nudge.batch([{ type: "track", userId: "u1", event: "signed_up" }]))).toBe(1);
    await nudge.drain();
    const view = (await nudge.profiles.view("u1"))!;
    expect([...view.journeys.active, ...view.journeys.past].map((j) => j.journeyId)).toEqual(["welcome"]);
    await nudge.stop();
  });

  it("segments keep their interest: an event a segment counts, an identify setting a trait it reads, a new person", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await nudge.segments.put({ id: "pro", condition: { type: "trait", trait: "plan", op: "eq", value: "pro" } });
    await nudge.segments.put({ id: "dormant", condition: { type: "event", event: "login", within: "P14D", op: "eq", value: 0 } });
    await nudge.identify({ userId: "u1", traits: { plan: "free" } });
    await nudge.drain();
    expect(await queued(nudge, () => nudge.track({ userId: "u1", event: "page_viewed" }))).toBe(0);
    expect(await queued(nudge, () => nudge.track({ userId: "u1", event: "login" }))).toBe(1);
    expect(await queued(nudge, () => nudge.identify({ userId: "u1", traits: { city: "Seoul" } }))).toBe(0);
    expect(await queued(nudge, () => nudge.identify({ userId: "u1", traits: { plan: "pro" } }))).toBe(1);
    expect(await queued(nudge, () => nudge.batch([{ type: "track", userId: "newcomer", event: "page_viewed" }]))).toBe(1);
    await nudge.drain();
    expect((await nudge.segments.members("pro")).items).toEqual([(await nudge.profiles.find({ userId: "u1" }))!.id]);
    expect((await nudge.segments.members("dormant")).items).toContain((await nudge.profiles.find({ userId: "newcomer" }))!.id);
    await nudge.stop();
  });
});

describe("ingest: event ids", () => {
  it("are unique UUIDv7s that sort by the time they were received", async () => {
    const { eventId } = await import("../src/engine/ingest/event-ids.js");
    const ids = Array.from({ length: 2000 }, (_, i) => eventId(1_800_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const byTime = ids.map((id, i) => ({ id, ms: Math.floor(i / 10) }));
    const sorted = [...byTime].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(sorted.map((x) => x.ms)).toEqual(byTime.map((x) => x.ms));
  });
});

describe("docs/getting-started.md: many calls at once", () => {
  it("the page's batch example runs as written and does what the page says", async () => {
    const { readFileSync } = await import("node:fs");
    const page = readFileSync(new URL("../../docs/getting-started.md", import.meta.url), "utf8");
    const section = page.slice(page.indexOf("## Many calls at once"));
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
    const channels = testChannels(["sandbox"]);
    const { nudge } = await start({ channels: channels.plugin });
    await publish(nudge, {
      id: "welcome",
      trigger: { type: "event", event: "signed_up" },
      steps: [{ id: "hello", type: "send", channel: "sandbox", content: { text: "Welcome, {{ profile.traits.name }} ({{ profile.traits.plan }})" } }],
    });
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (nudge: Nudge) => Promise<Accepted[]>;
    const results = await new AsyncFunction("nudge", `${code}\nreturn results;`)(nudge);
    await nudge.drain();
    expect(results.map((r) => r.accepted)).toEqual([true, true, true]);
    expect(results[0]!.profileId).toBe(results[1]!.profileId);
    expect(channels.calls.map((c) => `${c.to}: ${c.text}`)).toEqual(["u2: Welcome, Sam (pro)"]);
    await expect(new AsyncFunction("nudge", `${code}\nreturn results;`)(nudge)).resolves.toMatchObject([{ accepted: true }, { accepted: false }, { accepted: true }]);
    await nudge.stop();
  });
});
