import { eucKrByteLength } from "@nudge/channel-sms";
import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";

export const ALIGO = { apiKey: "aligo-key-1", userId: "acme-sms" };

export type AligoFailure = "permanent" | "unreachable" | "transient" | "rate_limited";

/** The fields spec.html (문자보내기) documents for `POST /send/`; anything else is a contract violation. */
const SEND_FIELDS = new Set(["key", "user_id", "sender", "receiver", "msg", "msg_type", "title", "destination", "rdate", "rtime", "image", "testmode_yn"]);

/** One send the fake accepted, as Aligo would have stored it. */
export interface AligoSent {
  mid: string;
  sender: string;
  receiver: string;
  msg: string;
  msgType: string;
  title: string | undefined;
  testMode: boolean;
  /** What /sms_list/ reports for it: "발송완료" unless a test changes it. */
  state: string;
}

/** Aligo's error answer: HTTP 200 with a negative `result_code`. */
function refusal(code: number, message: string): FakeHttpAnswer {
  return { status: 200, body: { result_code: String(code), message } };
}

/**
 * A stand-in for apis.aligo.in: checks the documented contract of `POST /send/` and `POST /sms_list/` (paths with
 * their trailing slash, form encoding, required and allowed fields, `key`/`user_id` auth, byte limits, a title only
 * for LMS/MMS), answers with the documented success and error bodies, and can be told to fail the next send.
 * Wrong credentials get Aligo's auth refusal (-101), not a violation: the request had the documented shape.
 */
export function aligoFake() {
  let next: AligoFailure | null = null;
  let mid = 812_345_000;
  const sent: AligoSent[] = [];

  const fake = new FakeHttpServer((req: RecordedRequest, fail) => {
    if (req.method !== "POST") return fail(`${req.method} ${req.path}: Aligo's APIs are POST only`);
    if (!String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) return fail(`${req.path}: content-type ${String(req.headers["content-type"])} is not form encoding`);
    if (req.json !== undefined) return fail(`${req.path}: body is JSON, not form fields`);
    const form = new URLSearchParams(req.raw);
    if (req.path === "/send/") return send(form, fail);
    if (req.path === "/sms_list/") return list(form, fail);
    return fail(`unexpected path ${req.path} (Aligo's paths end with a slash: /send/, /sms_list/)`);
  });

  function send(form: URLSearchParams, fail: (problem: string) => FakeHttpAnswer): FakeHttpAnswer {
    const unknown = [...form.keys()].filter((k) => !SEND_FIELDS.has(k));
    if (unknown.length > 0) return fail(`/send/: undocumented field(s) ${unknown.join(", ")}`);
    for (const field of ["key", "user_id", "sender", "receiver", "msg"]) {
      if (!form.get(field)) return fail(`/send/: required field ${field} is missing`);
    }
    if (form.get("key") !== ALIGO.apiKey || form.get("user_id") !== ALIGO.userId) return refusal(-101, "인증오류입니다.");
    const sender = form.get("sender")!;
    const receiver = form.get("receiver")!;
    const msg = form.get("msg")!;
    if (!/^\d+$/.test(sender) || sender.length > 16) return fail(`/send/: sender ${sender} is not digits of at most 16 bytes`);
    if (!/^01\d{8,9}$/.test(receiver)) return fail(`/send/: receiver ${receiver} is not one Korean mobile number in national digits`);
    const msgType = form.get("msg_type") ?? "AUTO";
    if (!["SMS", "LMS", "MMS", "AUTO"].includes(msgType)) return fail(`/send/: msg_type ${msgType} is not SMS, LMS or MMS`);
    const bytes = eucKrByteLength(msg);
    if (bytes > 2000) return fail(`/send/: msg is ${bytes} bytes (at most 2,000)`);
    if (msgType === "SMS" && bytes > 90) return fail(`/send/: an SMS of ${bytes} bytes (at most 90)`);
    const title = form.get("title") ?? undefined;
    if (title !== undefined) {
      if (msgType === "SMS") return fail("/send/: title is allowed for LMS and MMS only");
      if (title.length === 0 || eucKrByteLength(title) > 44) return fail(`/send/: title must be 1 to 44 bytes`);
    }
    const testMode = form.get("testmode_yn");
    if (testMode !== null && testMode !== "Y" && testMode !== "N") return fail(`/send/: testmode_yn ${testMode} is not Y or N`);
    if (msgType === "MMS" && !form.get("image")) return fail("/send/: an MMS needs an image");

    const kind = next;
    next = null;
    switch (kind) {
      case "permanent":
        // An unregistered sender number (발신번호 사전등록): fixed in the console, not by retrying.
        return refusal(-103, "발신번호가 등록되지 않았습니다.");
      case "unreachable":
        // A valid request whose one receiver was counted as an error.
        return { status: 200, body: { result_code: "1", message: "success", msg_id: String(++mid), success_cnt: 0, error_cnt: 1, msg_type: msgType } };
      case "transient":
        return { status: 502, body: "<html><body>502 Bad Gateway</body></html>" };
      case "rate_limited":
        // Aligo documents no throttling answer: an HTTP 429 is what a gateway in front of it would send.
        return { status: 429, body: "Too Many Requests", headers: { "retry-after": "2" } };
      default:
        break;
    }
    const id = String(++mid);
    const type = msgType === "AUTO" ? (bytes > 90 ? "LMS" : "SMS") : msgType;
    sent.push({ mid: id, sender, receiver, msg, msgType: type, title, testMode: testMode === "Y", state: "발송완료" });
    // Aligo writes result_code as a string and the counts as numbers.
    return { status: 200, body: { result_code: "1", message: "success", msg_id: id, success_cnt: 1, error_cnt: 0, msg_type: type } };
  }

  function list(form: URLSearchParams, fail: (problem: string) => FakeHttpAnswer): FakeHttpAnswer {
    const account = form.get("userid") ?? form.get("user_id");
    if (!form.get("key") || !account) return fail("/sms_list/: key and userid are required");
    if (form.get("key") !== ALIGO.apiKey || account !== ALIGO.userId) return refusal(-101, "인증오류입니다.");
    const id = form.get("mid");
    if (!id) return fail("/sms_list/: mid is required");
    const m = sent.find((s) => s.mid === id);
    const entries = m
      ? [{ mdid: `${m.mid}01`, type: m.msgType, sender: m.sender, receiver: m.receiver, sms_state: m.state, reg_date: "2026-03-02 12:00:01", send_date: "2026-03-02 12:00:04", reserve_date: "" }]
      : [];
    return { status: 200, body: { result_code: 1, message: "success", list: entries, next_yn: "N" } };
  }

  return {
    fake,
    sent,
    failNext: (k: AligoFailure) => {
      next = k;
    },
    /** Sends the fake accepted under the contract (injected failures and refusals are not counted). */
    accepted: () => sent.length,
    /** Calls per path, valid or not. */
    calls: (path: "/send/" | "/sms_list/") => fake.requests.filter((r) => r.path === path).length,
  };
}
