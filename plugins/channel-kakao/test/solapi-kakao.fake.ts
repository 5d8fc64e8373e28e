import { parseSolapiAuthorization, solapiSignature } from "@nudge/provider-solapi";
import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";
import { bmsProblems } from "./solapi-bms-contract.js";

export const SOLAPI = { apiKey: "NCSAYU7YDBXYORXC", apiSecret: "solapi-kakao-secret", pfId: "KA01PF200323182344986oTFz9CIabcx", token: "kakao-hook-token" };

export type SolapiKakaoFailure = "permanent" | "transient" | "rate_limited" | "unreachable" | "not_friend" | "outside_hours";

/**
 * Solapi fake for Kakao: verifies the HMAC-SHA256 Authorization header against the shared secret, then checks
 * `BMS_FREE` messages' `kakaoOptions.bms` against the SDK's schema (solapi-bms-contract.ts) and `ATA` ones
 * `kakaoOptions { pfId, templateId, variables }` with `#{…}` keys. Refusals come back the way send-many/detail
 * reports them: HTTP 200 with the message in `failedMessageList` and a code from Solapi's status code table
 * (https://developers.solapi.com/references/message-status-codes); `failWith(code)` picks any code.
 */
export function solapiKakaoFake() {
  let next: SolapiKakaoFailure | null = null;
  let nextCode: string | null = null;
  let seq = 0;
  const keys: string[] = [];
  const fake = new FakeHttpServer((req: RecordedRequest, fail): FakeHttpAnswer => {
    const auth = parseSolapiAuthorization(String(req.headers["authorization"] ?? ""));
    if (!auth || auth.apiKey !== SOLAPI.apiKey || solapiSignature(SOLAPI.apiSecret, auth.date, auth.salt) !== auth.signature) {
      return { status: 403, body: { errorCode: "SignatureDoesNotMatch", errorMessage: "생성한 Signature가 일치하지 않음" } };
    }
    if (req.method !== "POST" || req.path !== "/messages/v4/send-many/detail") return fail(`unexpected ${req.method} ${req.path}`);
    const body = req.json as { messages: Record<string, unknown>[]; allowDuplicates: unknown };
    const msg = body.messages?.[0];
    if (!msg || body.allowDuplicates !== false) return fail("messages[0] and allowDuplicates: false required");
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
    accepted: () => fake.requests.length - fake.problems.length,
    lastKey: () => keys[keys.length - 1],
    lastMessage: () => (fake.last()!.json as { messages: Record<string, unknown>[] }).messages[0]!,
  };
}
