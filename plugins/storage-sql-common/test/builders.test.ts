import { describe, expect, it } from "vitest";
import { NudgeError } from "@nudge/core";
import { decodeCursor, encodeCursor, IdCursor, TimeIdCursor, toPage, Where } from "@nudge/storage-sql-common";

describe("Where", () => {
  it("keeps ? placeholders and their parameters in order", () => {
    const where = new Where("?").add("workspace_id = ? AND profile_id = ?", "ws", "p1").eq("channel", undefined).eq("status", "sent");
    expect(`${where}`).toBe("workspace_id = ? AND profile_id = ? AND status = ?");
    expect(where.param(11)).toBe("?");
    expect(where.params).toEqual(["ws", "p1", "sent", 11]);
  });

  it("numbers $n placeholders across clauses", () => {
    const where = new Where("$n").add("workspace_id = ?", "ws").add("(created_at, id) < (?, ?)", 5, "m1").eq("channel", "sms");
    expect(`${where}`).toBe("workspace_id = $1 AND (created_at, id) < ($2, $3) AND channel = $4");
    expect(where.param(11)).toBe("$5");
    expect(where.params).toEqual(["ws", 5, "m1", "sms", 11]);
  });
});

describe("cursors and pages", () => {
  it("round-trips a key and refuses what it did not write", () => {
    expect(decodeCursor(encodeCursor([5, "m1"]), TimeIdCursor)).toEqual([5, "m1"]);
    expect(() => decodeCursor("not a cursor", IdCursor)).toThrow(NudgeError);
    expect(() => decodeCursor(encodeCursor([5, "m1"]), IdCursor)).toThrow(NudgeError);
  });

  it("keeps limit rows and points the cursor at the last one only when more follow", () => {
    const more = toPage(["a", "b", "c"], 2, (r) => r.toUpperCase(), (id) => [id]);
    expect(more.items).toEqual(["A", "B"]);
    expect(decodeCursor(more.nextCursor!, IdCursor)).toEqual(["B"]);
    expect(toPage(["a", "b"], 2, (r) => r, (id) => [id]).nextCursor).toBeNull();
    // An empty string is a key like any other.
    expect(toPage(["", "b"], 1, (r) => r, (id) => [id]).nextCursor).toBe(encodeCursor([""]));
  });
});
