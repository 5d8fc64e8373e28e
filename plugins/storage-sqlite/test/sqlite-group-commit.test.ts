import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { ConflictError, Tokens } from "@nudge/core";
import { anEnrollment, anEvent, aProfile } from "@nudge/core/testkit";
import { eventLogPath } from "@nudge/storage-sqlite";
import { startSqlite } from "./sqlite-test-env.js";

describe.each(["thread", "inline"] as const)("storage-sqlite group commit, event log written %s", (eventWriter) => {
  it("50 concurrent appends share one transaction, and each is committed when it resolves", async () => {
    const { nudge, db, path } = await startSqlite({ eventWriter });
    expect(db.eventsWrittenInBackground).toBe(eventWriter === "thread");
    const events = nudge.resolve(Tokens.EventStore);
    const commits = vi.spyOn(db, "commitGroup");
    const batch = Array.from({ length: 50 }, (_, i) => anEvent("acme", "p-gc", { messageId: `gc-${i}` }));
    const reader = new Database(eventLogPath(path), { readonly: true });
    const seen: number[] = [];
    const results = await Promise.all(
      batch.map(async (e) => {
        const inserted = await events.append(e);
        // Read through another connection: only committed rows are visible there.
        seen.push(reader.prepare("SELECT COUNT(*) FROM events WHERE workspace_id = 'acme' AND message_id = ?").pluck().get(e.messageId) as number);
        return inserted;
      }),
    );
    expect(results.every((r) => r)).toBe(true);
    expect(seen).toEqual(batch.map(() => 1));
    // Single events commit on the event loop's connection even beside an idle writer thread.
    expect(commits).toHaveBeenCalledTimes(1);
    reader.close();
    await nudge.stop();
  });

  it("duplicates inside one group are reported as such", async () => {
    const { nudge } = await startSqlite({ eventWriter });
    const events = nudge.resolve(Tokens.EventStore);
    const e = anEvent("acme", "p-dup", { messageId: "same" });
    expect(await Promise.all([events.append(e), events.append({ ...e, id: "another-id" }), events.appendMany([{ ...e, id: "third" }])])).toEqual([true, false, [false]]);
    await nudge.stop();
  });

  it("one bad event fails alone; the rest of its group is stored", async () => {
    const { nudge } = await startSqlite({ eventWriter });
    const events = nudge.resolve(Tokens.EventStore);
    // A record the schema refuses (name is NOT NULL): a bug in the caller, not an outage.
    const clash = { ...anEvent("acme", "p-bad"), name: null as unknown as string };
    const fine = Array.from({ length: 5 }, () => anEvent("acme", "p-bad"));
    const settled = await Promise.allSettled([events.append(clash), ...fine.map((e) => events.append(e))]);
    expect(settled[0]?.status).toBe("rejected");
    expect(settled.slice(1).map((s) => (s.status === "fulfilled" ? s.value : s.reason))).toEqual([true, true, true, true, true]);
    await nudge.stop();
  });

  it("appends waiting for their window are committed when the instance stops, not dropped", async () => {
    const { nudge, path } = await startSqlite({ groupCommit: { windowMs: 50 }, eventWriter });
    const events = nudge.resolve(Tokens.EventStore);
    const pending = events.append(anEvent("acme", "p-stop", { messageId: "late" }));
    await nudge.stop();
    expect(await pending).toBe(true);
    const raw = new Database(eventLogPath(path), { readonly: true });
    expect(raw.prepare("SELECT COUNT(*) FROM events WHERE message_id = 'late'").pluck().get()).toBe(1);
    raw.close();
  });

  it("windowMs 0 groups what arrives in the same turn of the event loop", async () => {
    const { nudge, db } = await startSqlite({ groupCommit: { windowMs: 0 }, eventWriter: "inline" });
    const events = nudge.resolve(Tokens.EventStore);
    const commits = vi.spyOn(db, "commitGroup");
    const results = await Promise.all(Array.from({ length: 20 }, () => events.append(anEvent("acme", "p-turn"))));
    expect(results).toEqual(Array(20).fill(true));
    expect(commits).toHaveBeenCalledTimes(1);
    await nudge.stop();
  });

  it("every kind of write joins the group; a conflict in one undoes only that one", async () => {
    const { nudge, db } = await startSqlite();
    const profiles = nudge.resolve(Tokens.ProfileStore);
    const stale = await profiles.save(aProfile("acme", { userId: "u-group" }));
    await profiles.save({ ...stale, traits: { fresh: true } });
    const commits = vi.spyOn(db, "commitGroup");
    // Events are not among them: the event log is a file of its own, with its own group commit.
    const settled = await Promise.allSettled([
      profiles.save({ ...stale, traits: { stale: true } }),
      nudge.resolve(Tokens.EnrollmentStore).create(anEnrollment("acme", "p-group", { id: "enr-group" })),
      nudge.resolve(Tokens.TimerStore).schedule({ workspaceId: "acme", id: "t-group", dueAt: 5, kind: "k", payload: {} }),
    ]);
    expect(commits).toHaveBeenCalledTimes(1);
    expect(settled.map((s) => s.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect((settled[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect((await profiles.get("acme", stale.id))?.traits).toEqual({ fresh: true });
    expect(await nudge.resolve(Tokens.EnrollmentStore).get("acme", "enr-group")).not.toBeNull();
    expect(await nudge.resolve(Tokens.TimerStore).get("acme", "t-group")).not.toBeNull();
    await nudge.stop();
  });
});
