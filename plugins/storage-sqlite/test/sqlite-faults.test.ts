import { describe, expect, it } from "vitest";
import { StorageUnavailableError, Tokens } from "@nudge/core";
import { anEvent } from "@nudge/core/testkit";
import { startSqlite } from "./sqlite-test-env.js";

describe("storage-sqlite faults", () => {
  it("a full disk fails the write with StorageUnavailableError (HTTP 503), and the instance keeps serving", async () => {
    // maxSizeMb caps the file the way a full disk does: SQLite answers SQLITE_FULL.
    const { nudge } = await startSqlite({ maxSizeMb: 1 });
    const events = nudge.resolve(Tokens.EventStore);
    const big = { blob: "x".repeat(20_000) };
    let failure: unknown = null;
    for (let i = 0; i < 1_000 && failure === null; i++) {
      await events.append(anEvent("acme", "p-full", { properties: big })).catch((e: unknown) => (failure = e));
    }
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect((failure as StorageUnavailableError).code).toBe("NUDGE_STORAGE_UNAVAILABLE");
    expect((failure as StorageUnavailableError).message).toMatch(/SQLITE_FULL/);
    await expect(nudge.track({ userId: "u-full", event: "signed_up", properties: big })).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(nudge.running).toBe(true);
    expect((await events.listByProfile("acme", "p-full", { limit: 1 })).length).toBe(1);
    await nudge.stop();
  });

  it("calls after stop() fail with StorageUnavailableError, never a driver TypeError", async () => {
    const { nudge } = await startSqlite();
    const profiles = nudge.resolve(Tokens.ProfileStore);
    await nudge.stop();
    await expect(profiles.get("acme", "x")).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(nudge.resolve(Tokens.EventStore).append(anEvent("acme", "p"))).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it("retention deletes in chunks and reports the total", async () => {
    const { nudge } = await startSqlite({ deleteChunk: 3 });
    const events = nudge.resolve(Tokens.EventStore);
    await events.appendMany(Array.from({ length: 10 }, (_, i) => anEvent("acme", "p-old", { timestamp: i })));
    await events.append(anEvent("acme", "p-old", { timestamp: 1_000 }));
    await events.append(anEvent("other", "p-old", { timestamp: 1 }));
    expect(await events.deleteOlderThan("acme", 500)).toBe(10);
    expect((await events.listByProfile("acme", "p-old", { limit: 100 })).map((e) => e.timestamp)).toEqual([1_000]);
    expect(await events.listByProfile("other", "p-old", { limit: 100 })).toHaveLength(1);
    await nudge.stop();
  });
});
