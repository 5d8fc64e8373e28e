import { describe, expect, it } from "vitest";
import type { Message } from "@nudge/core";
import { claimRefusedByStatus, Where, whereCountedByLimit, whereSent, type ColumnCodec } from "@nudge/storage-sql-common";

const text: ColumnCodec<{ json: string; bool: number }> = { json: (s) => JSON.parse(s), bool: (v) => v === 1, boolParam: (b) => (b ? 1 : 0) };
const native: ColumnCodec<{ json: unknown; bool: boolean }> = { json: <T>(v: unknown) => v as T, bool: (v) => v, boolParam: (b) => b };

const message = { workspaceId: "ws", id: "m1", profileId: "p1", attempts: [] } as unknown as Message;

describe("message filters", () => {
  it("count a person's sent messages with the driver's placeholders and booleans", () => {
    const q = { profileId: "p1", since: 10, channel: "sms", marketing: true };
    const positional = whereSent(new Where("?"), "ws", q, text);
    expect(`${positional}`).toBe("workspace_id = ? AND profile_id = ? AND sent_at >= ? AND status IN ('sent', 'delivered') AND channel = ? AND marketing = ?");
    expect(positional.params).toEqual(["ws", "p1", 10, "sms", 1]);
    const numbered = whereSent(new Where("$n"), "ws", q, native);
    expect(`${numbered}`).toBe("workspace_id = $1 AND profile_id = $2 AND sent_at >= $3 AND status IN ('sent', 'delivered') AND channel = $4 AND marketing = $5");
    expect(numbered.params).toEqual(["ws", "p1", 10, "sms", true]);
  });

  it("count messages being sent against a limit, leaving out the one claimed", () => {
    const where = whereCountedByLimit(new Where("$n"), message, { id: "cap", max: 1, since: 5, journeyId: "j1" }, native);
    expect(`${where}`).toBe(
      "workspace_id = $1 AND profile_id = $2 AND id <> $3 AND ((status IN ('sent', 'delivered') AND sent_at >= $4) OR (status = 'sending' AND updated_at >= $5)) AND journey_id = $6",
    );
    expect(where.params).toEqual(["ws", "p1", "m1", 5, 5, "j1"]);
  });

  it("refuse a claim when the stored copy moved on", () => {
    expect(claimRefusedByStatus(undefined, message)).toEqual({ claimed: false, reason: "status", status: "failed" });
    expect(claimRefusedByStatus({ status: "sending", n: 0 }, message)).toEqual({ claimed: false, reason: "status", status: "sending" });
    expect(claimRefusedByStatus({ status: "queued", n: 1 }, message)).toEqual({ claimed: false, reason: "status", status: "queued" });
    expect(claimRefusedByStatus({ status: "deferred", n: 0 }, message)).toBeNull();
  });
});
