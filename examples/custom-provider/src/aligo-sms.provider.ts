import {
  ChannelRejectedError,
  vendorRequest,
  type Clock,
  type DeliveryReport,
  type ProviderCall,
  type SendResult,
} from "@nudge/core";
import { nationalNumber, type SmsPayload, type SmsProvider } from "@nudge/channel-sms";
import { kstToEpoch, ListAnswer, SendAnswer } from "./answers.js";
import type { AligoSmsConfig } from "./config.js";
import { aligoError, recipientRefused, unexpectedAnswer } from "./errors.js";

/**
 * The sms provider "aligo": SMS and LMS to Korean numbers through Aligo (알리고).
 *
 * `POST https://apis.aligo.in/send/`, form-encoded (https://smartsms.aligo.in/admin/api/spec.html, 문자보내기):
 * `key`, `user_id`, `sender` (registered number, ≤ 16 bytes), `receiver` (comma-separated, here always one),
 * `msg` (1–2,000 bytes), `msg_type` SMS | LMS | MMS, `title` (LMS/MMS only, 1–44 bytes), `testmode_yn`.
 */
export class AligoSmsProvider implements SmsProvider {
  readonly id = "aligo";
  readonly channel = "sms";
  // spec.html documents no idempotency key and /sms_list/ is queried by Aligo's message id only, never by ours:
  // a send of unknown outcome cannot be settled safely, so it is never resent (the engine records it unknown).
  readonly idempotency = "none" as const;
  // Aligo takes MMS images as multipart file bytes in the send call (`image`), not as ids of files uploaded
  // beforehand, and the channel hands providers ids (`MmsImage.ref`): no MMS through this provider, and the
  // channel's prepare() says so before anything is sent.
  readonly images = { max: 0, maxBytes: 0 };

  constructor(
    private readonly config: AligoSmsConfig,
    private readonly clock: Clock,
  ) {}

  async send({ to, payload }: ProviderCall<SmsPayload>): Promise<SendResult> {
    if (payload.type === "INTL_SMS" || payload.from === undefined) {
      throw new ChannelRejectedError("Aligo sends to Korean numbers only: list it in `providers`, not `international`", { providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    }
    if (payload.type === "MMS" || payload.images?.length) {
      throw new ChannelRejectedError("Aligo takes MMS images as file bytes, not uploaded ids: send an LMS instead", { providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    }
    const form = this.form({
      sender: nationalNumber(payload.from),
      receiver: nationalNumber(to),
      // An ad's "(광고)" header and 080 opt-out line are already in the text (the channel checks them):
      // Aligo has no separate ad flag.
      msg: payload.text,
      // Set explicitly: left out, Aligo picks the type by its own byte count (spec.html advises against that).
      msg_type: payload.type,
    });
    if (payload.type === "LMS" && payload.title !== undefined) form.set("title", payload.title);
    if (this.config.testMode) form.set("testmode_yn", "Y");

    const answer = await this.post("/send/", form);
    const parsed = SendAnswer.safeParse(answer.body);
    if (!parsed.success) throw unexpectedAnswer(answer.status, parsed.error);
    const a = parsed.data;
    if (a.result_code !== 1) throw aligoError(a.result_code, a.message);
    if ((a.success_cnt ?? 1) === 0 && (a.error_cnt ?? 0) > 0) throw recipientRefused(a.message);
    const type = a.msg_type === "SMS" || a.msg_type === "LMS" ? a.msg_type : payload.type;
    // Accepted: without a msg_id it cannot be polled, but it was taken and is paid for, so it is "sent".
    return { ...(a.msg_id != null ? { providerMessageId: String(a.msg_id) } : {}), status: "sent", messageType: type, providerCode: String(a.result_code) };
  }

  /**
   * `POST https://apis.aligo.in/sms_list/` with `mid` (https://smartsms.aligo.in/admin/api/status.html, 전송결과
   * 조회): one list entry per recipient; ours is the only one. Null while Aligo reports no final state.
   */
  async poll(providerMessageId: string): Promise<DeliveryReport | null> {
    // status.html names the account field `userid` for this API while spec.html names it `user_id`: both are sent.
    const form = this.form({ userid: this.config.userId, mid: providerMessageId });
    const answer = await this.post("/sms_list/", form);
    const parsed = ListAnswer.safeParse(answer.body);
    if (!parsed.success) throw unexpectedAnswer(answer.status, parsed.error);
    if (parsed.data.result_code !== 1) throw aligoError(parsed.data.result_code, parsed.data.message);
    const entry = parsed.data.list?.[0];
    const state = entry?.sms_state?.trim();
    if (!entry || !state) return null;
    // The pages we could read do not list the states; "발송완료" (sent and completed) and "…실패" (failed) are
    // the final ones Aligo's console shows. Any other state (waiting, sending, reserved) is no news yet.
    const status = state === "발송완료" ? "delivered" : state.includes("실패") ? "failed" : null;
    if (status === null) return null;
    return {
      providerMessageId,
      status,
      providerCode: state,
      ...(status === "failed" ? { reason: state } : {}),
      at: kstToEpoch(entry.send_date, this.clock.now()),
    };
  }

  /** The auth fields every Aligo call carries, then the call's own. */
  private form(fields: Record<string, string>): URLSearchParams {
    return new URLSearchParams({ key: this.config.apiKey, user_id: this.config.userId, ...fields });
  }

  private post(path: string, form: URLSearchParams) {
    return vendorRequest(`${this.config.baseUrl.replace(/\/$/, "")}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: form.toString(),
      timeoutMs: this.config.timeoutMs,
    });
  }
}
