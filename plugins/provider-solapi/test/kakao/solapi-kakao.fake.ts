import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";
import { parseSolapiAuthorization, solapiSignature } from "../../src/solapi-auth.js";
import { bmsProblems } from "./solapi-bms-contract.js";

export const SOLAPI = { apiKey: "NCSAYU7YDBXYORXC", apiSecret: "solapi-kakao-secret", pfId: "KA01PF200323182344986oTFz9CIabcx", token: "kakao-hook-token" };

export type SolapiKakaoFailure = "permanent" | "transient" | "rate_limited" | "unreachable" | "not_friend" | "outside_hours";

/**
 * Solapi fake for Kakao: verifies the HMAC-SHA256 Authorization header against the shared secret (403
 * SignatureDoesNotMatch otherwise), its date within 15 minutes of `now` and its salt unused, then checks
 * `BMS_FREE` messages' `kakaoOptions.bms` against the SDK's schema (solapi-bms-contract.ts) and `ATA` ones
 * `kakaoOptions { pfId, templateId, variables }` with `#{…}` keys. Refusals come back the way send-many/detail
 * reports them: HTTP 200 with the message in `failedMessageList` and a code from Solapi's status code table
 * (https://developers.solapi.com/references/message-status-codes); `failWith(code)` picks any code. The message
 * list (`GET /messages/v4/list?criteria=messageId&value=<id>&cond=eq`, api-reference/messages/getMessageList.md)
 * answers the messages accepted, as received (4000).
 */
export function solapiKakaoFake(now: () => number = Date.now) {
  let next: SolapiKakaoFailure | null = null;
  let nextCode: string | null = null;
  let seq = 0;
  const keys: string[] = [];
  const salts = new Set<string>();
  const accepted = new Set<string>();
  const fake = new FakeHttpServer((req: RecordedRequest, fail): FakeHttpAnswer => {
    const auth = parseSolapiAuthorization(String(req.headers["authorization"] ?? ""));
    if (!auth || auth.apiKey !== SOLAPI.apiKey || solapiSignature(SOLAPI.apiSecret, auth.date, auth.salt) !== auth.signature) {
      return { status: 403, body: { errorCode: "SignatureDoesNotMatch", errorMessage: "생성한 Signature가 일치하지 않음" } };
    }
    if (Math.abs(Date.parse(auth.date) - now()) > 15 * 60_000) return { status: 403, body: { errorCode: "RequestTimeTooSkewed", errorMessage: "시간 값이 서버 시간을 15분 이상 벗어남" } };
    if (salts.has(auth.salt)) return { status: 403, body: { errorCode: "DuplicatedSignature", errorMessage: "15분 안에 동일한 signature 값" } };
    salts.add(auth.salt);
    if (req.method === "GET" && req.path === "/messages/v4/list") {
      if (req.query.get("criteria") !== "messageId" || req.query.get("cond") !== "eq") return fail("list query must be criteria=messageId&cond=eq");
      const id = req.query.get("value") ?? "";
      const messageList = accepted.has(id) ? { [id]: { messageId: id, type: "BMS_FREE", statusCode: "4000", statusMessage: "정상 수신", dateReceived: "2026-03-02T01:00:05.000Z" } } : {};
      return { status: 200, body: { startKey: null, limit: 20, messageList } };
    }
    if (req.method !== "POST" || req.path !== "/messages/v4/send-many/detail") return fail(`unexpected ${req.method} ${req.path}`);
    const body = req.json as { messages: Record<string, unknown>[]; allowDuplicates: unknown };
    const msg = body.messages?.[0];
    if (!msg || body.allowDuplicates !== false) return fail("messages[0] and allowDuplicates: false required");
    if (typeof msg["to"] !== "string" || !/^\d+$/.test(msg["to"])) return fail("messages[0].to must be national digits");
    // `from` is required on every message, Kakao types included (solapi/documents api-reference/messages/sendSimpleMessage.md).
    if (typeof msg["from"] !== "string" || !/^\d+$/.test(msg["from"])) return fail("messages[0].from (the registered sender number, digits) is required");
    const opts = msg["kakaoOptions"] as Record<string, unknown> | undefined;
    if (opts?.["pfId"] !== SOLAPI.pfId) return fail("kakaoOptions.pfId missing or wrong");
    if (msg["type"] === "BMS_FREE") {
      const bms = opts["bms"] as Record<string, unknown> | undefined;
      if (!bms) return fail("kakaoOptions.bms required for BMS_FREE");
      const problems = bmsProblems(bms);
      if (problems.length) return fail(problems.join("; "));
    } else if (msg["type"] === "ATA") {
      const vars = (opts["variables"] ?? {}) as Record<string, string>;
      if (typeof opts["templateId"] !== "string" || Object.keys(vars).some((k) => !/^#\{.+\}$/.test(k))) return fail("ATA needs templateId and #{…} variable keys");
      if (typeof opts["disableSms"] !== "boolean") return fail("ATA's disableSms must be explicit");
    } else return fail(`unexpected type ${String(msg["type"])}`);
    const key = (msg["customFields"] as Record<string, string> | undefined)?.["nudgeIdempotencyKey"];
    if (key) keys.push(key);
    const kind = next;
    next = null;
    const code = nextCode;
    nextCode = null;
    seq++;
    const messageId = `M4V20260302K${seq}`;
    const failed = (statusCode: string, statusMessage: string) => ({ status: 200, body: { groupInfo: { groupId: `G${seq}`, count: { total: 1, registeredFailed: 1 } }, failedMessageList: [{ to: msg["to"], type: msg["type"], statusCode, statusMessage, messageId }] } });
    if (code) return failed(code, `status ${code}`);
    if (kind === "transient") return { status: 500, body: { errorCode: "InternalError", errorMessage: "Internal Server Error" } };
    if (kind === "rate_limited") return { status: 429, body: { errorCode: "TooManyRequests", errorMessage: "Too Many Requests" } };
    if (kind === "permanent") return failed("1062", "sender number not registered");
    if (kind === "not_friend" || kind === "unreachable") return failed("3102", "not a channel friend");
    if (kind === "outside_hours") return failed("3108", "outside sending hours");
    accepted.add(messageId);
    return { status: 200, body: { groupInfo: { groupId: `G${seq}`, count: { total: 1, registeredFailed: 0 } }, failedMessageList: [], messageList: [{ messageId, statusCode: "2000", statusMessage: "정상 접수" }] } };
  });
  return {
    fake,
    failNext: (k: SolapiKakaoFailure) => {
      next = k;
    },
    /** The next message is refused with this Solapi status code. */
    failWith: (statusCode: string) => {
      nextCode = statusCode;
    },
    accepted: () => accepted.size,
    contractViolations: () => fake.problems,
    lastKey: () => keys[keys.length - 1],
    lastMessage: () => (fake.last()!.json as { messages: Record<string, unknown>[] }).messages[0]!,
  };
}
