import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";
import { freestyleProblems } from "./nhn-brand-contract.js";

export const NHN = { appKey: "nhn-kakao-app-1", secretKey: "nhn-kakao-secret-1", senderKey: "9e0afe2c12aaaaaaaaaa7520052880b555f1a60a", signature: "kakao-hook-signature" };

export type NhnKakaoFailure = "permanent" | "transient" | "rate_limited" | "unreachable" | "not_friend" | "outside_hours" | "invalid_sender_key";

const header = (resultCode: number, resultMessage: string, isSuccessful: boolean) => ({ resultCode, resultMessage, isSuccessful });

/**
 * NHN Cloud KakaoTalk Bizmessage fake: checks `X-Secret-Key`, the app key in the path, the freestyle body
 * field by field against the guide's per-bubble request (nhn-brand-contract.ts) and the AlimTalk v2.3 body
 * (senderKey, templateCode, recipientList[{ recipientNo, resendParameter }]), and records
 * `X-NC-API-IDEMPOTENCY-KEY` (a repeated key within the run answers -1005, as NHN documents).
 */
export function nhnKakaoFake() {
  let next: NhnKakaoFailure | null = null;
  let seq = 0;
  const keys: string[] = [];
  const fake = new FakeHttpServer((req: RecordedRequest, fail): FakeHttpAnswer => {
    if (req.headers["x-secret-key"] !== NHN.secretKey) return { status: 200, body: { header: header(-1001, "Invalid secretKey.", false) } };
    const poll = /^\/(brand-message\/v1\.0|alimtalk\/v2\.3)\/appkeys\/([^/]+)\/messages\/([^/]+)\/(\d+)$/.exec(req.path);
    if (req.method === "GET" && poll) {
      return { status: 200, body: { header: header(0, "success", true), message: { requestId: poll[3], recipientSeq: Number(poll[4]), messageStatus: "COMPLETED", resultCode: "1000", resultCodeName: "성공", receiveDate: "2026-03-02 10:00:04" } } };
    }
    const m = /^\/(brand-message\/v1\.0\/appkeys\/([^/]+)\/freestyle-messages|alimtalk\/v2\.3\/appkeys\/([^/]+)\/messages)$/.exec(req.path);
    if (req.method !== "POST" || !m) return fail(`unexpected ${req.method} ${req.path}`);
    if ((m[2] ?? m[3]) !== NHN.appKey) return fail(`app key in path was ${m[2] ?? m[3]}`);
    const body = req.json as Record<string, unknown>;
    const rcpt = (body["recipientList"] as Record<string, unknown>[] | undefined)?.[0];
    if (body["senderKey"] !== NHN.senderKey) return fail("senderKey missing or wrong");
    if (!rcpt || typeof rcpt["recipientNo"] !== "string" || !/^\d+$/.test(rcpt["recipientNo"])) return fail("recipientList[0].recipientNo must be national digits");
    if (typeof (rcpt["resendParameter"] as Record<string, unknown> | undefined)?.["isResend"] !== "boolean") return fail("resendParameter.isResend must be explicit");
    if (m[2] !== undefined) {
      const problems = freestyleProblems(body);
      if (problems.length) return fail(problems.join("; "));
      if (!["I", "M", "N"].includes(String(rcpt["targeting"]))) return fail("recipientList[0].targeting must be I, M or N");
    } else if (typeof body["templateCode"] !== "string") return fail("templateCode required");
    const key = req.headers["x-nc-api-idempotency-key"];
    if (typeof key === "string") {
      if (keys.includes(key)) return { status: 200, body: { header: header(-1005, "The same 'X-NC-API-IDEMPOTENCY-KEY' was used within the last 10 minute.", false) } };
      keys.push(key);
    }
    const kind = next;
    next = null;
    seq++;
    const result = (code: number, message: string) => ({ status: 200, body: { header: header(0, "success", true), message: { requestId: `20260302-${seq}`, senderGroupingKey: null, sendResults: [{ recipientSeq: 1, recipientNo: rcpt["recipientNo"], resultCode: code, resultMessage: message }] } } });
    switch (kind) {
      case "permanent":
      case "invalid_sender_key":
        return { status: 200, body: { header: header(-1006, "Plus friend don't have senderKey.", false) } };
      case "transient":
        return { status: 200, body: { header: header(-9999, "System error.", false) } };
      case "rate_limited":
        // NHN documents no throttling code; an API gateway's HTTP 429 is what the channel must handle.
        return { status: 429, body: { header: header(429, "Too Many Requests", false) } };
      case "unreachable":
      case "not_friend":
        return result(3018, "NoSendAvailableException");
      case "outside_hours":
        return result(3022, "NoSendAvailableTimeException");
      default:
        return result(0, "SUCCESS");
    }
  });
  return {
    fake,
    failNext: (k: NhnKakaoFailure) => {
      next = k;
    },
    accepted: () => fake.requests.filter((r) => r.method === "POST").length - fake.problems.length,
    lastKey: () => keys[keys.length - 1],
  };
}
