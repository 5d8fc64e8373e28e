import { createHash } from "node:crypto";
import { ListAnswer, type ListedMessage } from "./answers.js";
import type { NhnKakaoApi, NhnKakaoClient } from "./client.js";
import { nhnKakaoError } from "./errors.js";
import { kstMinute } from "../shared/kst.js";

/** `recipientGroupingKey` holds at most 100 characters (both send guides). */
const GROUPING_KEY_MAX = 100;
const DAY = 24 * 60 * 60 * 1000;

/**
 * Nudge's idempotency key as the recipient's `recipientGroupingKey`, one to one: the key itself when it fits,
 * else its SHA-256. The message lists take it as a filter, so a message can be found by Nudge's id later.
 */
export function groupingKey(idempotencyKey: string): string {
  return idempotencyKey.length <= GROUPING_KEY_MAX ? idempotencyKey : `sha256:${createHash("sha256").update(idempotencyKey).digest("hex")}`;
}

/**
 * The message sent under a grouping key: `GET …/messages?startRequestDate&endRequestDate&recipientGroupingKey`
 * (Brand Message "발송 목록 조회", AlimTalk "메시지 리스트 조회"). The request dates are required and span at most
 * 30 days (AlimTalk guide), so the search covers the 29 days before `around` and 12 hours after it (clock skew).
 */
export async function findByGroupingKey(client: NhnKakaoClient, api: NhnKakaoApi, key: string, around: number): Promise<ListedMessage | null> {
  const query = new URLSearchParams({ startRequestDate: kstMinute(around - 29 * DAY), endRequestDate: kstMinute(around + DAY / 2), recipientGroupingKey: key });
  const answer = await client.call(ListAnswer, "GET", api, `/messages?${query.toString()}`);
  if (!answer.header.isSuccessful) throw nhnKakaoError(answer.header.resultCode, answer.header.resultMessage ?? "");
  return answer.messageSearchResultResponse?.messages[0] ?? null;
}
