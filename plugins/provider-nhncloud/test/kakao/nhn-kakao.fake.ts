import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";
import { alimTalkProblems } from "./nhn-alimtalk-contract.js";
import { freestyleProblems } from "./nhn-brand-contract.js";

export const NHN = { appKey: "nhn-kakao-app-1", secretKey: "nhn-kakao-secret-1", senderKey: "9e0afe2c12aaaaaaaaaa7520052880b555f1a60a", signature: "kakao-hook-signature" };

export type NhnKakaoFailure = "permanent" | "transient" | "rate_limited" | "unreachable" | "not_friend" | "outside_hours" | "invalid_sender_key" | "uncertain";

const header = (resultCode: number, resultMessage: string, isSuccessful: boolean) => ({ resultCode, resultMessage, isSuccessful });
const KST_MINUTE = /^\d{4}-\d\d-\d\d \d\d:\d\d$/;

/** A message NHN made from a send: what its message lists answer. */
interface Listed {
  api: string;
  requestId: string;
  recipientSeq: number;
  recipientGroupingKey: string | undefined;
  messageStatus: "COMPLETED" | "FAILED";
  resultCode: string;
  resultCodeName: string;
}

/**
 * NHN Cloud KakaoTalk Bizmessage fake: checks `X-Secret-Key`, the app key in the path, the freestyle body field by
 * field against the guide's per-bubble request (nhn-brand-contract.ts) and the AlimTalk v2.3 body
 * (nhn-alimtalk-contract.ts), and records `X-NC-API-IDEMPOTENCY-KEY`: a key seen before in the run answers -1005
 * whatever became of the first request, as NHN documents ("10분간 동일한 key로 요청 시 해당 요청을 실패 처리").
 * The message lists (`GET …/messages?startRequestDate&endRequestDate&recipientGroupingKey`) answer the messages
 * sent, with the required dates checked (yyyy-MM-dd HH:mm, at most 30 days apart).
 */
export function nhnKakaoFake() {
  let next: NhnKakaoFailure | null = null;
  let seq = 0;
  const keys: string[] = [];
  const sent: Listed[] = [];
  let accepted = 0;
  const fake = new FakeHttpServer((req: RecordedRequest, fail): FakeHttpAnswer => {
    if (req.headers["x-secret-key"] !== NHN.secretKey) return { status: 200, body: { header: header(-1001, "Invalid secretKey.", false) } };
    const api = /^\/(brand-message\/v1\.0|alimtalk\/v2\.3)\/appkeys\/([^/]+)(\/.*)$/.exec(req.path);
    if (!api) return fail(`unexpected ${req.method} ${req.path}`);
    if (api[2] !== NHN.appKey) return fail(`app key in path was ${api[2]}`);
    const [, product, , rest] = api as unknown as [string, string, string, string];
    const poll = /^\/messages\/([^/]+)\/(\d+)$/.exec(rest);
    if (req.method === "GET" && poll) {
      return { status: 200, body: { header: header(0, "success", true), message: { requestId: poll[1], recipientSeq: Number(poll[2]), messageStatus: "COMPLETED", resultCode: "1000", resultCodeName: "성공", receiveDate: "2026-03-02 10:00:04" } } };
    }
    if (req.method === "GET" && rest === "/messages") return list(req, product, sent, fail);
    const brand = product === "brand-message/v1.0";
    if (req.method !== "POST" || rest !== (brand ? "/freestyle-messages" : "/messages")) return fail(`unexpected ${req.method} ${req.path}`);
    const body = req.json as Record<string, unknown>;
    const rcpt = (body["recipientList"] as Record<string, unknown>[] | undefined)?.[0];
    if (body["senderKey"] !== NHN.senderKey) return fail("senderKey missing or wrong");
    if (!rcpt || typeof rcpt["recipientNo"] !== "string" || !/^\d+$/.test(rcpt["recipientNo"])) return fail("recipientList[0].recipientNo must be national digits");
    if (typeof (rcpt["resendParameter"] as Record<string, unknown> | undefined)?.["isResend"] !== "boolean") return fail("resendParameter.isResend must be explicit");
    const problems = brand ? freestyleProblems(body) : alimTalkProblems(body);
    if (problems.length) return fail(problems.join("; "));
    if (brand && !["I", "M", "N"].includes(String(rcpt["targeting"]))) return fail("recipientList[0].targeting must be I, M or N");
    const key = req.headers["x-nc-api-idempotency-key"];
    if (typeof key === "string") {
      if (keys.includes(key)) return { status: 200, body: { header: header(-1005, "The same 'X-NC-API-IDEMPOTENCY-KEY' was used within the last 10 minute.", false) } };
      keys.push(key);
    }
    accepted++;
    const kind = next;
    next = null;
    seq++;
    const requestId = `20260302-${seq}`;
    const result = (code: number, message: string) => {
      const ok = code === 0;
      sent.push({ api: product, requestId, recipientSeq: 1, recipientGroupingKey: rcpt["recipientGroupingKey"] as string | undefined, messageStatus: ok ? "COMPLETED" : "FAILED", resultCode: ok ? "1000" : String(code), resultCodeName: message });
      return { status: 200, body: { header: header(0, "success", true), message: { requestId, senderGroupingKey: null, sendResults: [{ recipientSeq: 1, recipientNo: rcpt["recipientNo"], resultCode: code, resultMessage: message }] } } };
    };
    switch (kind) {
      case "permanent":
      case "invalid_sender_key":
        return { status: 200, body: { header: header(-1006, "Plus friend don't have senderKey.", false) } };
      case "transient":
        return { status: 200, body: { header: header(-9999, "System error.", false) } };
      case "rate_limited":
        // NHN documents no throttling code; an API gateway's HTTP 429 is what the provider must handle.
        return { status: 429, body: { header: header(429, "Too Many Requests", false) } };
      case "unreachable":
      case "not_friend":
        return result(3018, "NoSendAvailableException");
      case "outside_hours":
        return result(3022, "NoSendAvailableTimeException");
      case "uncertain":
        // Kakao's 3005 AckTimeoutException: sent, receipt not confirmed ("성공불확실").
        return result(3005, "AckTimeoutException");
      default:
        return result(0, "SUCCESS");
    }
  });
  return {
    fake,
    failNext: (k: NhnKakaoFailure) => {
      next = k;
    },
    /** Sends that met the contract and were not refused as a repeated idempotency key. */
    accepted: () => accepted,
    contractViolations: () => fake.problems,
    lastKey: () => keys[keys.length - 1],
  };
}

function list(req: RecordedRequest, product: string, sent: Listed[], fail: (problem: string) => FakeHttpAnswer): FakeHttpAnswer {
  const start = req.query.get("startRequestDate");
  const end = req.query.get("endRequestDate");
  if (!start || !end || !KST_MINUTE.test(start) || !KST_MINUTE.test(end)) return fail("startRequestDate and endRequestDate (yyyy-MM-dd HH:mm) are required");
  const span = Date.parse(`${end.replace(" ", "T")}:00+09:00`) - Date.parse(`${start.replace(" ", "T")}:00+09:00`);
  if (span < 0 || span > 30 * 24 * 60 * 60 * 1000) return fail("the request dates span at most 30 days");
  const key = req.query.get("recipientGroupingKey");
  const messages = sent.filter((m) => m.api === product && (key === null || m.recipientGroupingKey === key)).map(({ api: _api, ...m }) => m);
  return { status: 200, body: { header: header(0, "success", true), messageSearchResultResponse: { messages, totalCount: messages.length } } };
}
