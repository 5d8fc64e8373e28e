import { parseSolapiAuthorization, solapiSignature } from "../../src/solapi-auth.js";
import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";

export const SOLAPI = { apiKey: "NCSAYU7YDBXYORXC", apiSecret: "solapi-secret-1", token: "hook-token-1" };

export type SolapiFailure = "permanent" | "transient" | "rate_limited" | "unreachable" | "unregistered_sender" | "bad_signature";

/**
 * Solapi messages v4 fake: recomputes the HMAC-SHA256 signature of the Authorization header from the
 * shared secret (403 SignatureDoesNotMatch otherwise, as Solapi documents), checks the date is within
 * 15 minutes and the salt unused, and checks `send-many/detail`'s body: `messages[]` with `to`, `from`,
 * `text`, `type`, and `allowDuplicates: false`. Refused messages come back in `failedMessageList` with a code
 * from Solapi's status code table (https://developers.solapi.com/references/message-status-codes): `failWith`
 * picks one; `reportWith` sets the code the message list answers for the next lookup.
 */
export function solapiFake(now: () => number = Date.now) {
  let next: SolapiFailure | null = null;
  let nextCode: string | null = null;
  let listCode = "4000";
  let seq = 0;
  const salts = new Set<string>();
  const lastKeys: string[] = [];
  const fake = new FakeHttpServer((req: RecordedRequest, fail): FakeHttpAnswer => {
    const auth = parseSolapiAuthorization(String(req.headers["authorization"] ?? ""));
    if (!auth) return fail(`Authorization header malformed: ${String(req.headers["authorization"])}`);
    if (auth.apiKey !== SOLAPI.apiKey) return { status: 403, body: { errorCode: "InvalidAPIKey", errorMessage: "유효한 API Key가 아님" } };
    if (solapiSignature(SOLAPI.apiSecret, auth.date, auth.salt) !== auth.signature || next === "bad_signature") {
      next = null;
      return { status: 403, body: { errorCode: "SignatureDoesNotMatch", errorMessage: "생성한 Signature가 일치하지 않음" } };
    }
    if (Math.abs(Date.parse(auth.date) - now()) > 15 * 60_000) return { status: 403, body: { errorCode: "RequestTimeTooSkewed", errorMessage: "시간 값이 서버 시간을 15분 이상 벗어남" } };
    if (salts.has(auth.salt)) return { status: 403, body: { errorCode: "DuplicatedSignature", errorMessage: "15분 안에 동일한 signature 값" } };
    salts.add(auth.salt);
    if (req.method === "GET" && req.path === "/messages/v4/list") {
      const id = req.query.get("value") ?? "";
      if (req.query.get("criteria") !== "messageId" || req.query.get("cond") !== "eq") return fail("list query must be criteria=messageId&cond=eq");
      const statusCode = listCode;
      listCode = "4000";
      return { status: 200, body: { messageList: { [id]: { messageId: id, statusCode, statusMessage: `status ${statusCode}`, dateReceived: "2026-03-02T01:00:05.000Z" } } } };
    }
    if (req.method !== "POST" || req.path !== "/messages/v4/send-many/detail") return fail(`unexpected ${req.method} ${req.path}`);
    const body = req.json as { messages?: Record<string, unknown>[]; allowDuplicates?: unknown } | undefined;
    const m = body?.messages?.[0];
    if (!m || typeof m["to"] !== "string" || typeof m["from"] !== "string" || typeof m["text"] !== "string") return fail("messages[0].to/from/text required");
    if (body?.allowDuplicates !== false) return fail("allowDuplicates must be false");
    const key = (m["customFields"] as Record<string, string> | undefined)?.["nudgeIdempotencyKey"];
    if (key) lastKeys.push(key);
    const kind = next;
    next = null;
    const code = nextCode;
    nextCode = null;
    if (kind === "transient") return { status: 500, body: { errorCode: "InternalError", errorMessage: "Internal Server Error" } };
    if (kind === "rate_limited") return { status: 429, body: { errorCode: "TooManyRequests", errorMessage: "Too Many Requests" } };
    seq++;
    const messageId = `M4V20260302100000ABCDEFGHIJK${seq}`;
    const refused = kind !== null || code !== null;
    const groupInfo = { groupId: `G4V20260302100000ABCDEFGHIJ${seq}`, count: { total: 1, registeredFailed: refused ? 1 : 0, registeredSuccess: refused ? 0 : 1 } };
    const failed = (statusCode: string, statusMessage: string) => ({ status: 200, body: { groupInfo, failedMessageList: [{ to: m["to"], from: m["from"], type: m["type"], statusMessage, country: "82", messageId, statusCode, accountId: "1" }] } });
    if (code) return failed(code, `status ${code}`);
    // 1060: the recipient number is blocked.
    if (kind === "unreachable") return failed("1060", "blocked recipient");
    if (kind === "permanent" || kind === "unregistered_sender") return failed("1062", "sender number not registered");
    return { status: 200, body: { groupInfo, failedMessageList: [], messageList: [{ messageId, statusCode: "2000", statusMessage: "정상 접수(이통사로 접수 예정) " }] } };
  });
  return {
    fake,
    failNext: (k: SolapiFailure) => {
      next = k;
    },
    failWith: (statusCode: string) => {
      nextCode = statusCode;
    },
    reportWith: (statusCode: string) => {
      listCode = statusCode;
    },
    accepted: () => fake.requests.filter((r) => r.method === "POST").length - fake.problems.length,
    lastKey: () => lastKeys[lastKeys.length - 1],
    lastMessage: () => (fake.last()?.json as { messages: Record<string, unknown>[] }).messages[0]!,
  };
}
