import { describe, expect, it, vi } from "vitest";
import type { Delivery, Message, MessageStore, SendLimit } from "@nudge/core";
import { aMessage } from "@nudge/core/testkit";
import { lockStatement } from "../src/pg-message-reports.js";
import { pgSuite } from "./pg-test-env.js";

// Message updates and claims are group-committed (see PgMessageStore.updates and .claims).

const { whenPg, boot } = pgSuite("nudge_msg_group");

const sent = (providerMessageId: string, attempt = 1): Delivery => ({ attempt, channel: "sms", provider: "fake", at: 2_000, status: "sent", providerMessageId, cost: { amount: 9.9, currency: "KRW" } });

async function stored(store: MessageStore, n: number, profileId: string): Promise<Message[]> {
  const messages = Array.from({ length: n }, () => aMessage("acme", profileId));
  for (const m of messages) expect((await store.insert(m)).inserted).toBe(true);
  return messages;
}

/** A cap on the person's marketing messages since time 0. */
const cap = (max: number): SendLimit => ({ id: "cap", max, since: 0, marketing: true });
const sending = (profileId: string): Message => aMessage("acme", profileId, { status: "sending", updatedAt: 1_500 });

describe("storage-postgres claims (group commit)", () => {
  whenPg("concurrent claims share transactions, and a cap holds across them", async () => {
    const { store, db } = await boot();
    const tx = vi.spyOn(db, "tx");
    const claims = await Promise.all(Array.from({ length: 30 }, () => store.insertClaimed!(sending("p-cap"), [cap(5)])));
    expect(claims.filter((c) => c.claimed)).toHaveLength(5);
    expect(claims.filter((c) => !c.claimed && c.reason === "limit")).toHaveLength(25);
    // 30 claims, at most two transactions in flight: the rest waited and went together.
    expect(tx.mock.calls.length).toBeLessThan(5);
    tx.mockRestore();
    expect((await store.list("acme", { profileId: "p-cap", limit: 100 })).items).toHaveLength(5);
  });

  whenPg("claims of stored messages (resumed, or the next channel of a chain) share transactions too; caps and status hold", async () => {
    const { store, db } = await boot();
    const queued = await stored(store, 20, "p-resume");
    const [moved] = await stored(store, 1, "p-resume");
    await store.update({ ...moved!, status: "sent", sentAt: 2_000, attempts: [sent("moved-1")] });
    const tx = vi.spyOn(db, "tx");
    const claim = (m: Message) => store.claimSend({ ...m, status: "sending", updatedAt: 1_500 }, [cap(6)]);
    const [claims, stale] = await Promise.all([Promise.all(queued.map(claim)), claim(moved!)]);
    // The sent one counts toward the cap: five more of the twenty go.
    expect(claims.filter((c) => c.claimed)).toHaveLength(5);
    expect(claims.filter((c) => !c.claimed && c.reason === "limit")).toHaveLength(15);
    // Another worker moved it on (sent): refused by its status, not claimed again.
    expect(stale).toEqual({ claimed: false, reason: "status", status: "sent" });
    expect(tx.mock.calls.length).toBeLessThan(5);
    tx.mockRestore();
    const statuses = (await store.list("acme", { profileId: "p-resume", limit: 100 })).items.map((m) => m.status).sort();
    expect(statuses).toEqual([...Array<string>(15).fill("queued"), "sending", "sending", "sending", "sending", "sending", "sent"]);
  });

  it("a batch takes its people's locks once each, in ascending key order", () => {
    const sql = lockStatement(5n, -3n, 9_000_000_000_000_000_000n, 5n, -9_000_000_000_000_000_000n);
    expect(sql).toBe(
      "SELECT pg_advisory_xact_lock(-9000000000000000000); SELECT pg_advisory_xact_lock(-3); SELECT pg_advisory_xact_lock(5); SELECT pg_advisory_xact_lock(9000000000000000000)",
    );
  });

  whenPg("two instances (two pools, as two processes) claiming for the same people keep every cap", async () => {
    const [a, b] = [await boot(), await boot()];
    const people = ["p-x1", "p-x2", "p-x3", "p-x4"];
    // Each batch locks several people; the two instances' batches overlap in every order.
    const claims = await Promise.all(
      Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? a : b).store.insertClaimed!(sending(people[(i * 7) % people.length]!), [cap(3)])),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(3 * people.length);
    for (const p of people) expect((await a.store.list("acme", { profileId: p, limit: 100 })).items).toHaveLength(3);
  });

  whenPg("a claim the database refuses fails its own caller only; the rest of its batch is claimed", async () => {
    const { store } = await boot();
    const messages = Array.from({ length: 6 }, (_, i) => {
      const m = sending(`p-refused-${i}`);
      // PostgreSQL's jsonb refuses a NUL character: this row cannot be written.
      if (i === 2) m.content = { sms: { text: "nul \u0000 here" } };
      return m;
    });
    const results = await Promise.allSettled(messages.map((m) => store.insertClaimed!(m, [cap(1)])));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"]);
    for (const [i, m] of messages.entries()) {
      if (i === 2) expect(await store.get("acme", m.id)).toBeNull();
      else expect((await store.get("acme", m.id))?.status).toBe("sending");
    }
  });
});

describe("storage-postgres message updates (group commit)", () => {
  whenPg("concurrent updates share statements, and every row and provider id lands", async () => {
    const { store, db } = await boot();
    const messages = await stored(store, 40, "p-many");
    const query = vi.spyOn(db, "query");
    await Promise.all(
      messages.map((m, i) => {
        m.status = "sent";
        m.sentAt = 2_000;
        m.attempts.push(sent(`many-${i}`));
        return store.update(m);
      }),
    );
    // 40 updates, at most two statements in flight: the rest waited and went together.
    expect(query.mock.calls.length).toBeLessThan(5);
    query.mockRestore();
    for (const [i, m] of messages.entries()) {
      expect(await store.get("acme", m.id)).toMatchObject({ status: "sent", sentAt: 2_000, attempts: [{ providerMessageId: `many-${i}` }] });
      expect((await store.findByProviderMessageId("acme", `many-${i}`))?.id).toBe(m.id);
    }
  });

  whenPg("writes of one message in one batch keep call order: the last row is stored, every provider id finds it", async () => {
    const { store } = await boot();
    const [m] = await stored(store, 1, "p-order");
    const first: Message = { ...m!, status: "queued", attempts: [{ ...sent("order-1"), status: "failed" }] };
    const second: Message = { ...m!, status: "sent", sentAt: 3_000, attempts: [first.attempts[0]!, sent("order-2", 2)] };
    const writes = [store.update(first), store.update(second)];
    // What an update stores is the message as it was when update was called, not what the caller made of it later.
    second.status = "failed";
    await Promise.all(writes);
    const row = await store.get("acme", m!.id);
    expect(row).toMatchObject({ status: "sent", sentAt: 3_000 });
    expect(row!.attempts.map((a) => a.providerMessageId)).toEqual(["order-1", "order-2"]);
    expect((await store.findByProviderMessageId("acme", "order-1"))?.id).toBe(m!.id);
    expect((await store.findByProviderMessageId("acme", "order-2"))?.id).toBe(m!.id);
  });

  whenPg("a row the database refuses fails its own caller only; the rest of its batch lands", async () => {
    const { store } = await boot();
    const messages = await stored(store, 6, "p-bad");
    const results = await Promise.allSettled(
      messages.map((m, i) => {
        m.status = "sent";
        m.attempts.push(sent(`bad-${i}`));
        // PostgreSQL's jsonb refuses a NUL character: this row cannot be written.
        if (i === 3) m.content = { sms: { text: "nul \u0000 here" } };
        return store.update(m);
      }),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    for (const [i, m] of messages.entries()) {
      const row = await store.get("acme", m.id);
      if (i === 3) expect(row).toMatchObject({ status: "queued", attempts: [] });
      else expect(row).toMatchObject({ status: "sent", attempts: [{ providerMessageId: `bad-${i}` }] });
    }
  });

  whenPg("stop waits for updates on their way: none is lost", async () => {
    const { nudge, store } = await boot();
    const messages = await stored(store, 25, "p-stop");
    const writes = messages.map((m, i) => {
      m.status = "sent";
      m.attempts.push(sent(`stop-${i}`));
      return store.update(m);
    });
    await nudge.stop();
    await Promise.all(writes);
    const { store: again } = await boot();
    for (const m of messages) expect((await again.get("acme", m.id))?.status).toBe("sent");
  });
});
