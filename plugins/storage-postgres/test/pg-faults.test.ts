import pg from "pg";
import { describe, expect, vi } from "vitest";
import { StorageUnavailableError, Tokens, ValidationError } from "@nudge/core";
import { aMessage, anEvent } from "@nudge/core/testkit";
import { PG_URL, pgSuite } from "./pg-test-env.js";
import { TcpProxy } from "./tcp-proxy.js";

const { schema, whenPg, boot } = pgSuite();

async function countEvents(messageId: string): Promise<number> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const { rows } = await client.query(`SELECT COUNT(*)::int AS n FROM "${schema}".events WHERE message_id = $1`, [messageId]);
  await client.end();
  return (rows[0] as { n: number }).n;
}

describe("storage-postgres faults", () => {
  whenPg("a connection lost mid-run shows in readiness, is retried with backoff, and the append lands once the server is back", async () => {
    const proxy = new TcpProxy("127.0.0.1", 5432);
    await proxy.up();
    const { nudge, db } = await boot({ url: `postgres://postgres@127.0.0.1:${proxy.port}/test`, retry: { attempts: 10, baseDelayMs: 50, maxDelayMs: 200 } });
    const events = nudge.resolve(Tokens.EventStore);
    expect(await events.append(anEvent("acme", "p-net", { messageId: "before" }))).toBe(true);

    await proxy.down();
    await expect(db.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
    const pending = events.append(anEvent("acme", "p-net", { messageId: "during" }));
    await new Promise((r) => setTimeout(r, 300));
    await proxy.up();
    expect(await pending).toBe(true);
    await expect(db.ping()).resolves.toBeUndefined();
    expect(await countEvents("during")).toBe(1);
    await nudge.stop();
    await proxy.down();
  });

  whenPg("message claims and updates waiting in a group when the connection drops are retried: each is claimed once and its result lands", async () => {
    const proxy = new TcpProxy("127.0.0.1", 5432);
    await proxy.up();
    const { nudge } = await boot({ url: `postgres://postgres@127.0.0.1:${proxy.port}/test`, retry: { attempts: 10, baseDelayMs: 50, maxDelayMs: 200 } });
    const store = nudge.resolve(Tokens.MessageStore);
    const messages = Array.from({ length: 12 }, (_, i) => aMessage("acme", `p-drop-${i % 3}`, { status: "sending", updatedAt: 1_500 }));
    const cap = [{ id: "cap", max: 4, since: 0, marketing: true }];

    await proxy.down();
    const claims = messages.map((m) => store.insertClaimed!(m, cap));
    await new Promise((r) => setTimeout(r, 300));
    await proxy.up();
    expect((await Promise.all(claims)).every((c) => c.claimed)).toBe(true);

    await proxy.down();
    const updates = messages.map((m, i) => {
      m.status = "sent";
      m.sentAt = 2_000;
      m.attempts.push({ attempt: 1, channel: "sms", provider: "fake", at: 2_000, status: "sent", providerMessageId: `drop-${i}` });
      return store.update(m);
    });
    await new Promise((r) => setTimeout(r, 300));
    await proxy.up();
    await Promise.all(updates);
    for (let p = 0; p < 3; p++) {
      const rows = (await store.list("acme", { profileId: `p-drop-${p}`, limit: 100 })).items;
      expect(rows.map((r) => r.status)).toEqual(["sent", "sent", "sent", "sent"]);
    }
    await nudge.stop();
    await proxy.down();
  });

  whenPg("an outage longer than the retries fails the call with StorageUnavailableError: never a silent drop", async () => {
    const proxy = new TcpProxy("127.0.0.1", 5432);
    await proxy.up();
    const { nudge } = await boot({ url: `postgres://postgres@127.0.0.1:${proxy.port}/test`, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    await proxy.down();
    await expect(nudge.resolve(Tokens.EventStore).append(anEvent("acme", "p-out", { messageId: "lost?" }))).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(nudge.track({ userId: "u-out", event: "signed_up" })).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(nudge.running).toBe(true);
    await proxy.up();
    expect((await nudge.track({ userId: "u-out", event: "signed_up", messageId: "after" })).accepted).toBe(true);
    expect(await countEvents("lost?")).toBe(0);
    await nudge.stop();
    await proxy.down();
  });

  whenPg("two workers polling at once never claim the same timer (FOR UPDATE SKIP LOCKED)", async () => {
    const [a, b] = await Promise.all([boot(), boot()]);
    const timers = [a.nudge.resolve(Tokens.TimerStore), b.nudge.resolve(Tokens.TimerStore)] as const;
    for (let i = 0; i < 300; i++) await timers[0].schedule({ workspaceId: "ws-claims", id: `t-${i}`, dueAt: i, kind: "k", payload: {} });
    const claimed: string[][] = [[], []];
    await Promise.all(
      timers.map(async (store, w) => {
        for (;;) {
          const got = await store.claimDue("ws-claims", 1_000, 7, 60_000);
          if (got.length === 0) return;
          claimed[w]!.push(...got.map((t) => t.id));
        }
      }),
    );
    const all = [...claimed[0]!, ...claimed[1]!];
    expect(new Set(all).size).toBe(300);
    expect(all).toHaveLength(300);
    expect(claimed[0]!.length).toBeGreaterThan(0);
    expect(claimed[1]!.length).toBeGreaterThan(0);
  });

  whenPg("concurrent appends go out together as one multi-row INSERT", async () => {
    const { nudge, db } = await boot();
    const query = vi.spyOn(db, "query");
    const batch = Array.from({ length: 50 }, () => anEvent("acme", "p-batch"));
    const results = await Promise.all(batch.map((e) => nudge.resolve(Tokens.EventStore).append(e)));
    expect(results).toEqual(Array(50).fill(true));
    const inserts = query.mock.calls.filter(([sql]) => String(sql).startsWith("INSERT INTO events"));
    expect(inserts).toHaveLength(1);
  });

  whenPg("an event PostgreSQL cannot store fails alone with ValidationError; its neighbours are stored", async () => {
    const { nudge } = await boot();
    const events = nudge.resolve(Tokens.EventStore);
    const bad = anEvent("acme", "p-nul", { properties: { note: "nul \u0000 inside" } });
    const fine = Array.from({ length: 4 }, () => anEvent("acme", "p-nul"));
    const settled = await Promise.allSettled([events.append(bad), ...fine.map((e) => events.append(e))]);
    expect(settled[0]?.status === "rejected" && settled[0].reason).toBeInstanceOf(ValidationError);
    expect(settled.slice(1).map((s) => s.status === "fulfilled" && s.value)).toEqual([true, true, true, true]);
  });
});
