import type { Message, MessageCountQuery, MessageQuery, SendClaim, SendLimit } from "@nudge/core";
import type { ColumnCodec, ColumnTypes } from "./column-codec.js";
import type { Where } from "./where.js";

/**
 * Which messages the message log's queries and send claims count, once for every SQL backend: a
 * frequency cap must mean the same thing on each. Each adds to the caller's `where`; the plugin writes
 * the SELECT, its order and its cursor condition.
 */

/** The messages a MessageQuery lists, before its cursor. */
export function whereListed(where: Where, ws: string, q: MessageQuery): Where {
  where.add("workspace_id = ?", ws).eq("profile_id", q.profileId).eq("journey_id", q.journeyId).eq("status", q.status).eq("channel", q.channel);
  if (q.sentFrom !== undefined) where.add("sent_at >= ?", q.sentFrom);
  if (q.sentBefore !== undefined) where.add("sent_at < ?", q.sentBefore);
  return where;
}

/** One person's messages sent (or delivered) since `q.since`. */
export function whereSent<C extends ColumnTypes>(where: Where, ws: string, q: MessageCountQuery, columns: ColumnCodec<C>): Where {
  return where
    .add("workspace_id = ? AND profile_id = ? AND sent_at >= ? AND status IN ('sent', 'delivered')", ws, q.profileId, q.since)
    .eq("channel", q.channel)
    .eq("journey_id", q.journeyId)
    .eq("marketing", q.marketing === undefined ? undefined : columns.boolParam(q.marketing));
}

/**
 * The person's other messages that count against `limit` while `message` is claimed: sent or delivered
 * since the limit's start, or being sent (claimed, not yet answered) since then.
 */
export function whereCountedByLimit<C extends ColumnTypes>(where: Where, message: Message, limit: SendLimit, columns: ColumnCodec<C>): Where {
  return where
    .add("workspace_id = ? AND profile_id = ? AND id <> ?", message.workspaceId, message.profileId, message.id)
    .add("((status IN ('sent', 'delivered') AND sent_at >= ?) OR (status = 'sending' AND updated_at >= ?))", limit.since, limit.since)
    .eq("channel", limit.channel)
    .eq("journey_id", limit.journeyId)
    .eq("marketing", limit.marketing === undefined ? undefined : columns.boolParam(limit.marketing));
}

/**
 * A claim refused by the stored copy alone: gone, or no longer queued or deferred with the attempts the
 * caller saw (someone else claimed or finished it). null: the limits decide.
 */
export function claimRefusedByStatus(stored: { status: Message["status"]; n: number } | undefined, message: Message): SendClaim | null {
  if (!stored) return { claimed: false, reason: "status", status: "failed" };
  if ((stored.status !== "queued" && stored.status !== "deferred") || stored.n !== message.attempts.length) {
    return { claimed: false, reason: "status", status: stored.status };
  }
  return null;
}
