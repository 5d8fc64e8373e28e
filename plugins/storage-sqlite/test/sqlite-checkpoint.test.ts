import { statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Tokens, type NudgeEvent } from "@nudge/core";
import { eventLogPath } from "@nudge/storage-sqlite";
import { startSqlite } from "./sqlite-test-env.js";

const event = (i: number): NudgeEvent => ({
  workspaceId: "acme", id: `e-${i}`, messageId: `m-${i}`, type: "track", name: "page_viewed", profileId: `p-${i % 50}`, userId: null, anonymousId: null,
  properties: { path: `/p/${i}`, pad: "x".repeat(200) }, context: {}, timestamp: i, receivedAt: i, processedAt: null,
});

/** Waits (up to `ms`) for a condition only another thread can make true. */
async function eventually(check: () => boolean, ms = 5_000): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 20))) if (check()) return true;
  return check();
}

describe("storage-sqlite: WAL checkpoints", () => {
  it("by default a thread checkpoints both files: the connection never does, yet the event log's file receives the pages", async () => {
    const { nudge, db, path } = await startSqlite({ checkpoint: { everyMs: 20 } });
    expect(db.checkpointingInBackground).toBe(true);
    expect(db.conn.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const log = eventLogPath(path);
    const before = statSync(log).size;
    const events = nudge.resolve(Tokens.EventStore);
    for (let b = 0; b < 20; b++) await events.appendMany(Array.from({ length: 200 }, (_, i) => event(b * 200 + i)));
    // Only a checkpoint writes into a database file. The writer thread checkpoints on its own only past
    // ~40 MB of WAL, and the connection not at all: the checkpoint thread did it.
    expect(await eventually(() => statSync(log).size > before + 500_000)).toBe(true);
    await nudge.stop();
    expect(db.checkpointingInBackground).toBe(false);
    // Every event is there after a restart.
    const again = await startSqlite({ path });
    expect(await again.nudge.resolve(Tokens.EventStore).getByMessageId("acme", "m-3999")).not.toBeNull();
    await again.nudge.stop();
  });

  it("if the checkpoint thread fails, both connections (database and event log) checkpoint on their own again", async () => {
    const { nudge, db } = await startSqlite({ eventWriter: "inline" });
    const eventConn = db.eventConn;
    expect(eventConn.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const worker = (db as unknown as { checkpointer: { worker: { emit(name: string, e: Error): void } } }).checkpointer.worker;
    worker.emit("error", new Error("the thread failed"));
    expect(db.checkpointingInBackground).toBe(false);
    expect(db.conn.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
    expect(eventConn.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
    await nudge.stop();
  });

  it('checkpoint.mode "inline" leaves checkpoints to SQLite inside commits; an in-memory database has none to move', async () => {
    const inline = await startSqlite({ checkpoint: { mode: "inline" } });
    expect(inline.db.checkpointingInBackground).toBe(false);
    expect(inline.db.conn.pragma("wal_autocheckpoint", { simple: true })).toBe(10_000);
    await inline.nudge.stop();
    const memory = await startSqlite({ path: ":memory:" });
    expect(memory.db.checkpointingInBackground).toBe(false);
    await memory.nudge.stop();
  });
});
