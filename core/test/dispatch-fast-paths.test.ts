import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { storageMemory } from "@nudge/storage-memory";
import { dispatcherOf } from "./engine-access.js";
import { createNudge, definePlugin, FakeClock, FrequencyCapPolicy, PoliciesConfig, profileScope, silentLogger, Tokens, type Channel, type Message, type Policy, type PolicyContext, type PolicyVerdict, type Profile, type SendLimit } from "@nudge/core";
import { Hooks } from "../src/engine/hooks.js";
import { SEGMENT_EVALUATE_JOB } from "../src/engine/segments/segment-jobs.js";
import { MessageIds } from "../src/engine/dispatch/message-ids.js";
import { SegmentCatalog } from "../src/engine/segments/segment-catalog.js";
import { person, sms, testChannels, world, WS, type DispatchWorld } from "./dispatch-world.js";

afterEach(() => {
  vi.restoreAllMocks();
});

const note = (w: DispatchWorld, profileId: string, marketing = false) =>
  w.nudge.send({ profileId, idempotencyKey: randomUUID(), channel: "sms", content: { text: "hello" }, marketing });

describe("hooks: copy-on-write listener lists", () => {
  it("emits to every listener in order, skips a throwing one, and knows whether anyone listens", () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    expect(hooks.has("message.updated")).toBe(false);
    hooks.emit("message.updated", {} as Message); // nobody listens: nothing happens
    const offA = hooks.on("message.updated", () => seen.push("a"));
    hooks.on("message.updated", () => {
      throw new Error("a host's bug");
    });
    hooks.on("message.updated", () => seen.push("c"));
    expect(hooks.has("message.updated")).toBe(true);
    expect(hooks.has("event.accepted")).toBe(false);
    hooks.emit("message.updated", {} as Message);
    expect(seen).toEqual(["a", "c"]);
    offA();
    offA(); // a second call removes nothing else
    hooks.emit("message.updated", {} as Message);
    expect(seen).toEqual(["a", "c", "c"]);
  });

  it("a listener added or removed during an emit changes the next emit, not the current one", () => {
    const hooks = new Hooks();
    const seen: string[] = [];
    let offB: () => void = () => {};
    hooks.on("journey.step", () => {
      seen.push("a");
      offB();
      hooks.on("journey.step", () => seen.push("late"));
    });
    offB = hooks.on("journey.step", () => seen.push("b"));
    hooks.emit("journey.step", {} as never);
    expect(seen).toEqual(["a", "b"]);
    seen.length = 0;
    offB = () => {};
    hooks.emit("journey.step", {} as never);
    expect(seen).toEqual(["a", "late"]);
  });

  it("the same function registered twice is called twice, and each unsubscribe removes one", () => {
    const hooks = new Hooks();
    let n = 0;
    const fn = () => n++;
    const off1 = hooks.on("event.accepted", fn);
    const off2 = hooks.on("event.accepted", fn);
    hooks.emit("event.accepted", {} as never);
    expect(n).toBe(2);
    off1();
    hooks.emit("event.accepted", {} as never);
    expect(n).toBe(3);
    off2();
    expect(hooks.has("event.accepted")).toBe(false);
  });
});

describe("segments: a sent message and the cached segment index", () => {
  const received = { type: "engagement", action: "received", within: "P1D" } as const;

  it("a cached index with a 'received' segment still queues the re-evaluation: every person reached enters", async () => {
    const w = await world({ channels: [sms] });
    await w.nudge.segments.put({ id: "reached", condition: received });
    const peek = vi.spyOn(SegmentCatalog.prototype, "peek");
    const people = [await person(w, "a"), await person(w, "b"), await person(w, "c")];
    for (const p of people) {
      expect((await note(w, p.id)).status).toBe("sent");
      await w.nudge.drain();
    }
    // The later sends found the index cached: the synchronous check ran and let them through.
    expect(peek.mock.results.some((r) => r.value !== null)).toBe(true);
    expect((await w.nudge.segments.members("reached")).items.sort()).toEqual(people.map((p) => p.id).sort());
    await w.nudge.stop();
  });

  it("with no 'received' segment nothing is queued; a 'received' segment added later is seen at the next send", async () => {
    const w = await world({ channels: [sms] });
    await w.nudge.segments.put({ id: "vip", condition: { type: "trait", trait: "tier", op: "eq", value: "vip" } });
    const p = await person(w, "a");
    const queue = w.nudge.resolve(Tokens.JobQueue);
    const add = vi.spyOn(queue, "add");
    const peek = vi.spyOn(SegmentCatalog.prototype, "peek");
    expect((await note(w, p.id)).status).toBe("sent"); // loads the index
    expect((await note(w, p.id)).status).toBe("sent"); // answered from the cache
    await w.nudge.drain();
    expect(peek.mock.results.some((r) => r.value !== null)).toBe(true);
    expect(add.mock.calls.filter(([job]) => job.name === SEGMENT_EVALUATE_JOB)).toEqual([]);

    await w.nudge.segments.put({ id: "reached", condition: received });
    expect((await note(w, p.id)).status).toBe("sent");
    await w.nudge.drain();
    expect((await w.nudge.segments.members("reached")).items).toEqual([p.id]);
    await w.nudge.stop();
  });
});

describe("dispatch: content rendered inline and from stored templates", () => {
  it("renders every channel of the chain, inline or from a template, the same way", async () => {
    const w = await world();
    const p = await person(w, "minji", { subscribed: ["sms", "kakao-friendtalk"] });
    await w.nudge.profiles.update(p.id, (x) => {
      x.traits = { name: "Minji" };
      return x;
    });
    const profile = (await w.nudge.profiles.get(p.id))!;
    await w.nudge.resolve(Tokens.TemplateStore).put(WS, { id: "fallback-sms", channel: "sms", content: { text: "From a template, {{ profile.traits.name }}" } }, 0);
    const dispatch = (fallback: { channel: string; content?: Record<string, unknown>; template?: string }) =>
      dispatcherOf(w.nudge).dispatch({
        profile,
        idempotencyKey: randomUUID(),
        spec: { channel: "kakao-friendtalk", content: { text: "Hi {{ profile.traits.name }}", tags: ["{{ profile.traits.name }}", 2] }, fallback: [fallback], marketing: false },
        scope: { profile: profileScope(profile) },
      });
    const inline = await dispatch({ channel: "sms", content: { text: "Inline, {{ profile.traits.name }}" } });
    const stored = await dispatch({ channel: "sms", template: "fallback-sms" });
    const primary = { text: "Hi Minji", tags: ["Minji", 2] };
    expect(inline.content).toEqual({ "kakao-friendtalk": primary, sms: { text: "Inline, Minji" } });
    expect(stored.content).toEqual({ "kakao-friendtalk": primary, sms: { text: "From a template, Minji" } });
    // A missing template fails the message, inline content or not elsewhere in the chain.
    const missing = await dispatch({ channel: "sms", template: "nope" });
    expect(missing.status).toBe("failed");
    expect(missing.decisions).toEqual([expect.objectContaining({ policy: "template", outcome: "drop", reason: 'template "nope" does not exist' })]);
    await w.nudge.stop();
  });
});

/** An instance with the test SMS channel and the given policies. */
async function withPolicies(list: Policy[]) {
  const clock = new FakeClock("2026-03-02T03:00:00Z");
  const { plugin } = testChannels([sms]);
  const custom = definePlugin({
    id: "custom-policies",
    kind: "policy",
    configSchema: z.object({}),
    register(ctx) {
      for (const p of list) ctx.registerInstance(Tokens.Policy, p);
    },
  });
  const nudge = await createNudge({ workspace: WS, plugins: [storageMemory(), plugin, custom()], logger: silentLogger(), clock });
  await nudge.start();
  const w: DispatchWorld = { nudge, clock, probe: { sends: [], calls: [], inFlight: 0, maxInFlight: 0 } };
  return w;
}

describe("policies: synchronous and asynchronous answers", () => {
  it("every policy runs once per try, in order, whichever answer with a promise", async () => {
    const calls: string[] = [];
    const policy = (id: string, order: number, answer: () => PolicyVerdict | Promise<PolicyVerdict>): Policy => ({
      id,
      order,
      evaluate: () => {
        calls.push(id);
        return answer();
      },
    });
    const stop = { value: false };
    const w = await withPolicies([
      policy("first", 1000, () => ({ outcome: "allow", reason: "sync allow" })),
      policy("second", 1100, async () => ({ outcome: "flag", reason: "async flag" })),
      policy("third", 1200, () => ({ outcome: "allow", reason: "sync after async" })),
      policy("fourth", 1300, async () => (stop.value ? { outcome: "suppress", reason: "async stop" } : { outcome: "allow" })),
      policy("fifth", 1400, () => ({ outcome: "allow", reason: "last" })),
    ]);
    const p = await person(w, "a");
    const sent = await note(w, p.id);
    expect(sent.status).toBe("sent");
    expect(calls.filter((c) => c !== "consent")).toEqual(["first", "second", "third", "fourth", "fifth"]);
    expect(sent.decisions.map((d) => `${d.policy}:${d.outcome}:${d.reason}`)).toEqual([
      "first:allow:sync allow",
      "second:flag:async flag",
      "third:allow:sync after async",
      "fifth:allow:last",
    ]);
    calls.length = 0;
    stop.value = true;
    const stopped = await note(w, p.id);
    expect(stopped.status).toBe("suppressed");
    expect(calls).toEqual(["first", "second", "third", "fourth"]);
    expect(stopped.decisions.at(-1)).toMatchObject({ policy: "fourth", outcome: "suppress", reason: "async stop" });
    await w.nudge.stop();
  });

  it("a synchronous stop ends the run before later policies", async () => {
    const later = vi.fn((): PolicyVerdict => ({ outcome: "allow" }));
    const w = await withPolicies([
      { id: "stopper", order: 1000, evaluate: () => ({ outcome: "drop", reason: "no" }) },
      { id: "later", order: 1100, evaluate: later },
    ]);
    const p = await person(w, "a");
    const m = await note(w, p.id);
    expect(m.status).toBe("suppressed");
    expect(m.decisions).toEqual([expect.objectContaining({ policy: "stopper", outcome: "drop", reason: "no" })]);
    expect(later).not.toHaveBeenCalled();
    await w.nudge.stop();
  });
});

describe("policies: limits kept between sends", () => {
  const limit = (max: number): SendLimit => ({ id: "cap", max, since: 0 });

  it("a new frozen array is read anew, the same one is reused", async () => {
    let declared: SendLimit[] = Object.freeze([Object.freeze(limit(1))]) as SendLimit[];
    const w = await withPolicies([{ id: "counting", order: 1000, evaluate: () => ({ outcome: "allow" }), limits: () => declared }]);
    const p = await person(w, "a");
    expect((await note(w, p.id)).status).toBe("sent");
    const refused = await note(w, p.id);
    expect(refused.status).toBe("suppressed");
    expect(refused.decisions).toEqual([expect.objectContaining({ policy: "counting", rule: "cap", reason: 'limit "counting:cap" reached (1 counted)' })]);
    declared = Object.freeze([Object.freeze(limit(2))]) as SendLimit[];
    expect((await note(w, p.id)).status).toBe("sent");
    expect((await note(w, p.id)).status).toBe("suppressed");
    await w.nudge.stop();
  });

  it("limits that are not frozen are read on every send, even when the same objects come back changed", async () => {
    const mutable = [limit(1)];
    const w = await withPolicies([{ id: "counting", order: 1000, evaluate: () => ({ outcome: "allow" }), limits: () => mutable }]);
    const p = await person(w, "a");
    expect((await note(w, p.id)).status).toBe("sent");
    expect((await note(w, p.id)).status).toBe("suppressed");
    mutable[0]!.max = 3;
    expect((await note(w, p.id)).status).toBe("sent");
    mutable.push({ id: "other", max: 2, since: 0 });
    const second = await note(w, p.id);
    expect(second.status).toBe("suppressed");
    expect(second.decisions.at(-1)).toMatchObject({ rule: "other" });
    await w.nudge.stop();
  });

  it("frequency caps answer what a fresh policy answers, across minutes, days, zones, channels, journeys and kinds", () => {
    const config = PoliciesConfig.parse({
      frequencyCaps: [
        { id: "daily", max: 3, per: "day" },
        { id: "sms-week", max: 5, per: "week", span: 2, channel: "sms" },
        { id: "per-journey", max: 2, per: "month", journey: "*", marketingOnly: false },
        { id: "welcome", max: 1, per: "day", journey: "welcome", marketingOnly: false },
      ],
    });
    const cached = new FrequencyCapPolicy(config.frequencyCaps, config.onCapped, "Asia/Seoul");
    const ctx = (now: number, marketing: boolean, channel: string, journeyId: string | null, timezone: string | null): PolicyContext => ({
      workspace: WS,
      message: { marketing, journeyId } as Message,
      profile: { timezone } as Profile,
      channel: { id: channel } as Channel,
      content: {},
      now,
    });
    const base = Date.parse("2026-03-02T14:58:30Z"); // 23:58:30 in Seoul
    const cases: PolicyContext[] = [];
    const times = [0, 10_000, 60_000, 90_000, 120_000, 86_400_000];
    const inputs: [boolean, string, string | null, string | null][] = [];
    for (const marketing of [true, false])
      for (const channel of ["sms", "kakao"])
        for (const journey of [null, "welcome", "other"]) for (const zone of ["Asia/Seoul", "America/New_York", null]) inputs.push([marketing, channel, journey, zone]);
    // Each case right after one that differs from it in a single input (the time, or one of the others).
    for (const i of inputs) for (const dt of times) cases.push(ctx(base + dt, ...i));
    for (const dt of times)
      for (const i of inputs)
        for (let k = 0; k < i.length; k++)
          for (const j of inputs) {
            if (j.every((v, n) => (n === k ? v !== i[n] : v === i[n]))) cases.push(ctx(base + dt, ...i), ctx(base + dt, ...j));
          }
    for (const c of cases) {
      const fresh = new FrequencyCapPolicy(config.frequencyCaps, config.onCapped, "Asia/Seoul");
      expect(cached.limits(c)).toEqual(fresh.limits(c));
    }
    // The kept answer cannot be changed by a caller.
    const answer = cached.limits(cases[0]!);
    expect(Object.isFrozen(answer) && answer.every((l) => Object.isFrozen(l))).toBe(true);
  });
});

describe("message ids", () => {
  it("are UUIDv4 strings, distinct, across many refills of the random pool", () => {
    const ids = new MessageIds();
    const seen = new Set<string>();
    const nibbles = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const id = ids.next();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
      for (const ch of id.replaceAll("-", "").slice(13)) nibbles.add(ch);
    }
    expect(seen.size).toBe(5_000);
    expect(nibbles.size).toBe(16); // every hex digit shows up in the random part
  });

  it("are what a message is stored under", async () => {
    const w = await world({ channels: [sms] });
    const p = await person(w, "a");
    const m = await note(w, p.id);
    expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await w.nudge.resolve(Tokens.MessageStore).get(WS, m.id))?.idempotencyKey).toBe(m.idempotencyKey);
    await w.nudge.stop();
  });
});
