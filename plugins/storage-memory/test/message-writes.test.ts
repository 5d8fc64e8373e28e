import { describe, expect, it } from "vitest";
import type { Message } from "@nudge/core";
import { aMessage } from "@nudge/core/testkit";
import { MemoryMessageStore } from "../src/memory-message-store.js";
import { sameJson } from "../src/util.js";

describe("sameJson: what a stored copy keeps", () => {
  it.each([
    [{ a: 1, b: { c: [1, "x", null] } }, { b: { c: [1, "x", null] }, a: 1 }, true],
    [[], [], true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: 1, b: 2 }, { a: 1 }, false],
    [{ a: undefined }, {}, false],
    [{}, { a: undefined }, false],
    [{ a: [1, 2] }, { a: [1, 2, 3] }, false],
    [{ a: [1, 2] }, { a: { 0: 1, 1: 2 } }, false],
    [{ a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }, false],
    [{ a: "1" }, { a: 1 }, false],
    [{ a: null }, { a: {} }, false],
    [{ at: new Date(5) }, { at: new Date(5) }, false],
    [Object.assign(Object.create(null) as object, { a: 1 }), { a: 1 }, true],
  ])("%j vs %j: %s", (a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
    expect(sameJson(b, a)).toBe(same);
  });
});

describe("memory message store: writes that keep the row's unchanged copies", () => {
  it("stores every change, however deep, and never shares what it keeps", async () => {
    const store = new MemoryMessageStore();
    const m: Message = aMessage("w", "p", {
      content: { sms: { text: "one", parts: ["a"] } },
      attempts: [{ attempt: 1, channel: "sms", provider: "p", at: 1, status: "retrying", cost: { amount: 0, currency: "KRW" }, details: { devices: ["a"] } }],
      decisions: [{ at: 1, policy: "quiet-hours", outcome: "defer", reason: "night", until: 2 }],
    });
    await store.insert(m);
    const changes: ((x: Message) => void)[] = [
      () => {}, // nothing nested changed
      (x) => (x.status = "sending"),
      (x) => ((x.content!["sms"] as { parts: string[] }).parts[0] = "b"),
      (x) => delete (x.content!["sms"] as { parts?: string[] }).parts,
      (x) => (x.channels = ["email", "sms"]),
      (x) => (x.attempts[0]!.cost!.amount = 5),
      (x) => (x.attempts[0]!.details!["devices"] as string[]).push("b"),
      (x) => x.attempts.push({ attempt: 2, channel: "sms", provider: "p", at: 3, status: "sent", providerMessageId: "id-2" }),
      (x) => (x.attempts[1]!.status = "delivered"),
      (x) => (x.decisions[0]!.reason = "changed"),
      (x) => x.decisions.splice(0, 1),
      (x) => (x.content = null),
      (x) => (x.content = { sms: { text: "back" } }),
    ];
    for (const change of changes) {
      change(m);
      await store.update(m);
      const expected = structuredClone(m);
      expect(await store.get("w", m.id)).toEqual(expected);
      // What the caller does next to its own object, nested values included, never reaches the store.
      if (m.content) (m.content["sms"] as { text: string }).text += "!";
      m.channels.push("push");
      for (const a of m.attempts) if (a.cost) a.cost.amount += 100;
      for (const d of m.decisions) d.reason += "?";
      expect(await store.get("w", m.id)).toEqual(expected);
      Object.assign(m, structuredClone(expected));
    }
  });

  it("a claim keeps the same guarantees", async () => {
    const store = new MemoryMessageStore();
    const m = aMessage("w", "p", { content: { sms: { text: "hi" } } });
    await store.insert(m);
    m.status = "sending";
    (m.content!["sms"] as { text: string }).text = "changed before the claim";
    expect(await store.claimSend(m, [])).toEqual({ claimed: true });
    const expected = structuredClone(m);
    (m.content!["sms"] as { text: string }).text = "after";
    expect(await store.get("w", m.id)).toEqual(expected);
  });

  it("a write stores every field of the message", async () => {
    const store = new MemoryMessageStore();
    const m = aMessage("w", "p", { enrollmentId: "e1", notBefore: 5, sentAt: 6, topic: "t" });
    await store.insert(m);
    const other = aMessage("w2", "p2", { journeyId: null, journeyVersion: null, stepId: null, enrollmentId: null, marketing: false, topic: null, recipient: null });
    Object.assign(other, { channels: ["kakao"], channel: "kakao", status: "sending", content: { kakao: { text: "x" } },
      attempts: [{ attempt: 1, channel: "kakao", provider: "k", at: 2, status: "sent" }],
      decisions: [{ at: 2, policy: "consent", outcome: "allow", reason: "ok" }],
      notBefore: null, createdAt: 2, updatedAt: 3, sentAt: null });
    for (const key of Object.keys(m) as (keyof Message)[]) {
      if (key === "id" || key === "workspaceId") continue; // where the row is found
      expect(other[key], key).not.toEqual(m[key]);
      (m as Record<string, unknown>)[key] = structuredClone(other[key]);
      await store.update(m);
      expect(await store.get("w", m.id), key).toEqual(m);
    }
  });

  it("content and provider details of any JSON shape are copied as they are, an own __proto__ key included", async () => {
    const store = new MemoryMessageStore();
    const content = JSON.parse('{"sms":{"text":"hi","__proto__":{"polluted":true},"list":[1,{"a":[null,"x"]}],"n":null}}') as Message["content"];
    const details = JSON.parse('{"__proto__":{"x":1},"raw":{"code":"0000"}}') as Record<string, unknown>;
    const m = aMessage("w", "p", { content, attempts: [{ attempt: 1, channel: "sms", provider: "p", at: 1, status: "sent", details }] });
    await store.insert(m);
    m.status = "sending";
    expect(await store.claimSend(m, [])).toEqual({ claimed: true });
    const stored = (await store.get("w", m.id))!;
    expect(JSON.stringify(stored.content)).toBe(JSON.stringify(content));
    expect(JSON.stringify(stored.attempts[0]!.details)).toBe(JSON.stringify(details));
    expect(Object.getPrototypeOf(stored.content!["sms"])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(stored.content!["sms"]).not.toBe(content!["sms"]);
  });

  it("a person's rows count once in a claim, however often they moved between people", async () => {
    const store = new MemoryMessageStore();
    const sent = [aMessage("w", "a", { status: "sent", sentAt: 10, createdAt: 10 }), aMessage("w", "a", { status: "sent", sentAt: 20, createdAt: 500 })];
    for (const m of sent) await store.insert(m);
    await store.reassignProfile("w", "a", "b");
    await store.reassignProfile("w", "b", "a");
    await store.reassignProfile("w", "a", "b");
    await store.reassignProfile("w", "b", "a");
    const claim = async (max: number) => {
      const m = aMessage("w", "a", { createdAt: 900 });
      await store.insert(m);
      return store.claimSend({ ...m, status: "sending", updatedAt: 900 }, [{ id: "cap", max, since: 0 }]);
    };
    expect(await claim(3)).toEqual({ claimed: true });
    // Two sent rows and the claim above ("sending"): three, counted once each.
    expect(await claim(3)).toEqual({ claimed: false, reason: "limit", limitId: "cap", count: 3 });
    expect(await store.deleteOlderThan("w", 100)).toBe(1);
    // The deleted row is gone from every list it was in: the later sent row and the first claim remain.
    expect(await claim(2)).toEqual({ claimed: false, reason: "limit", limitId: "cap", count: 2 });
    await store.reassignProfile("w", "a", "b");
    const forB = aMessage("w", "b", { createdAt: 900 });
    await store.insert(forB);
    expect(await store.claimSend({ ...forB, status: "sending", updatedAt: 900 }, [{ id: "cap", max: 2, since: 0 }])).toEqual({ claimed: false, reason: "limit", limitId: "cap", count: 2 });
  });
});
