import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";

export const NHN = { appKey: "nhn-app-key-1", secretKey: "nhn-secret-1", signature: "hook-signature-1" };

export type NhnFailure = "permanent" | "transient" | "rate_limited" | "unreachable" | "unregistered_sender" | "opted_out" | "emoji";

/** NHN's documented answer header for a failure (https://docs.nhncloud.com/ko/Notification/SMS/ko/error-code/). */
function failure(code: number, message: string): FakeHttpAnswer {
  return { status: 200, body: { header: { isSuccessful: false, resultCode: code, resultMessage: message } } };
}

/**
 * NHN Cloud SMS v3.0 fake: checks `X-Secret-Key`, the path with the app key, the JSON body fields of
 * /sender/{sms,mms,ad-sms,ad-mms}, and the ad format NHN enforces; answers with the guide's success body.
 */
export function nhnSmsFake() {
  let next: NhnFailure | null = null;
  let seq = 0;
  const uploads: { fileId: number; fileName: string; bytes: number }[] = [];
  /**
   * "첨부 파일 업로드" (`POST …/attachfile/binaryUpload`): fileName (≤ 45, .jpg/.jpeg), createUser (≤ 100) and
   * fileBody (Base64 of the file, ≤ 300K) are required; the answer carries `body.data.fileId`.
   */
  const upload = (req: RecordedRequest, fail: (problem: string) => FakeHttpAnswer): FakeHttpAnswer => {
    const body = req.json as { fileName?: unknown; createUser?: unknown; fileBody?: unknown } | undefined;
    if (typeof body?.fileName !== "string" || body.fileName.length > 45 || !/\.jpe?g$/i.test(body.fileName)) return fail("fileName (≤ 45 characters, .jpg/.jpeg) is required");
    if (typeof body.createUser !== "string" || body.createUser.length === 0 || body.createUser.length > 100) return fail("createUser (≤ 100 characters) is required");
    if (typeof body.fileBody !== "string" || !/^[A-Za-z0-9+/]+={0,2}$/.test(body.fileBody)) return fail("fileBody must be Base64");
    const bytes = Buffer.from(body.fileBody, "base64").length;
    if (bytes > 300 * 1024) return fail(`fileBody holds at most 300K, got ${bytes} bytes`);
    const fileId = 9000 + uploads.length;
    uploads.push({ fileId, fileName: body.fileName, bytes });
    return { status: 200, body: { header: { isSuccessful: true, resultCode: 0, resultMessage: "SUCCESS" }, body: { data: { fileId, fileName: body.fileName, filePath: `0/toast-mt-2026-03-02/1609/${fileId}` } } } };
  };
  const fake = new FakeHttpServer((req: RecordedRequest, fail) => {
    if (req.headers["x-secret-key"] !== NHN.secretKey) return fail(`X-Secret-Key was ${String(req.headers["x-secret-key"])}`);
    const poll = /^\/sms\/v3\.0\/appKeys\/([^/]+)\/sender\/(sms|mms)\/([^/]+)$/.exec(req.path);
    if (req.method === "GET" && poll) {
      if (!req.query.get("recipientSeq")) return fail("recipientSeq query parameter missing");
      return { status: 200, body: { header: { isSuccessful: true, resultCode: 0, resultMessage: "SUCCESS" }, body: { data: { requestId: poll[3], msgStatus: "3", resultCode: "1000", resultDate: "2026-03-02 10:06:42.0" } } } };
    }
    if (req.method === "POST" && req.path === `/sms/v3.0/appKeys/${NHN.appKey}/attachfile/binaryUpload`) return upload(req, fail);
    const m = /^\/sms\/v3\.0\/appKeys\/([^/]+)\/sender\/(sms|mms|ad-sms|ad-mms)$/.exec(req.path);
    if (req.method !== "POST" || !m) return fail(`unexpected ${req.method} ${req.path}`);
    if (m[1] !== NHN.appKey) return fail(`app key in path was ${m[1]}`);
    if (!String(req.headers["content-type"]).startsWith("application/json")) return fail("content-type is not JSON");
    const body = req.json as Record<string, unknown> | undefined;
    const list = body?.["recipientList"] as { recipientNo?: string }[] | undefined;
    if (typeof body?.["body"] !== "string" || typeof body["sendNo"] !== "string" || !list?.[0]?.recipientNo) return fail("body, sendNo and recipientList[].recipientNo are required");
    if (!/^\d+$/.test(body["sendNo"]) || !/^\d+$/.test(list[0].recipientNo)) return fail("numbers must be national digits");
    if (m[2]!.endsWith("mms") && typeof body["title"] !== "string") return fail("LMS/MMS need a title");
    if (m[2]!.startsWith("ad-")) {
      const text = body["body"];
      if (!text.startsWith("(광고)")) return failure(-6003, "The body must contain block guide ment.");
      if (!/(무료\s*수신\s*거부|무료\s*거부)\s*[\]:)]?\s*080[-\s]?\d{3,4}[-\s]?\d{4}\s*$/.test(text)) return failure(-6003, "The body must contain block guide ment.");
    }
    const kind = next;
    next = null;
    switch (kind) {
      case "permanent":
      case "unregistered_sender":
        return failure(-2312, "Not regist sendno.");
      case "transient":
        return failure(-9999, "System error. Please inquire at support@toast.com.");
      case "rate_limited":
        // NHN documents no throttling code for SMS v3.0: an HTTP 429 is what an API gateway sends.
        return { status: 429, body: { header: { isSuccessful: false, resultCode: 429, resultMessage: "Too Many Requests" } }, headers: { "retry-after": "2" } };
      case "unreachable":
      case "opted_out":
        return failure(-6001, "Recipient Number is refused.");
      case "emoji":
        return failure(-2023, "Unacceptable characters in title and body");
      default:
        break;
    }
    seq++;
    return {
      status: 200,
      body: {
        header: { isSuccessful: true, resultCode: 0, resultMessage: "SUCCESS" },
        body: { data: { requestId: `20260302100630ReZQ6KZz${seq}`, statusCode: "2", senderGroupingKey: null, sendResultList: [{ recipientNo: list[0].recipientNo, resultCode: 0, resultMessage: "SUCCESS", recipientSeq: 1, recipientGroupingKey: null }] } },
      },
    };
  });
  return {
    fake,
    failNext: (k: NhnFailure) => {
      next = k;
    },
    accepted: () => fake.requests.filter((r) => r.method === "POST" && r.path.includes("/sender/")).length - fake.problems.length,
    uploads: () => uploads,
  };
}
