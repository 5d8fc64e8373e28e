import { z } from "zod";
import {
  ChannelRejectedError,
  ValidationError,
  vendorRequest,
  type Clock,
  type DeliveryReport,
  type ProviderCall,
  type SendResult,
  type WebhookRequest,
  type WebhookResult,
} from "@nudge/core";
import { nationalNumber, type MmsImageFile, type SmsPayload, type SmsProvider } from "@nudge/channel-sms";
import type { NhnCloudSmsConfig } from "./config.js";
import { NHN_DEAD_NUMBER, nhnSmsError } from "./errors.js";
import { kstToEpoch } from "../shared/kst.js";
import { parseNhnSmsWebhook } from "./webhooks.js";
import { NHN_MMS_IMAGES, uploadNhnMmsImage } from "./upload.js";

/**
 * NHN Cloud SMS API v3.0 (https://docs.nhncloud.com/en/Notification/SMS/en/api-guide/):
 * `POST /sms/v3.0/appKeys/{appKey}/sender/{sms|mms|ad-sms|ad-mms}`, header `X-Secret-Key`,
 * body `{ body, sendNo, recipientList[{ recipientNo }] }` (+ `title`, `attachFileIdList` for LMS/MMS),
 * answer `{ header { isSuccessful, resultCode, resultMessage }, body { data { requestId, sendResultList[] } } }`.
 */
const SendAnswer = z.object({
  header: z.object({ isSuccessful: z.boolean(), resultCode: z.number(), resultMessage: z.string().nullish() }),
  body: z
    .object({
      data: z
        .object({
          requestId: z.string(),
          sendResultList: z.array(z.object({ recipientNo: z.string().nullish(), resultCode: z.number(), resultMessage: z.string().nullish(), recipientSeq: z.number().int() })),
        })
        .nullish(),
    })
    .nullish(),
});

const PollAnswer = z.object({
  header: z.object({ isSuccessful: z.boolean(), resultCode: z.number(), resultMessage: z.string().nullish() }),
  body: z.object({ data: z.object({ msgStatus: z.string(), resultCode: z.string().nullish(), resultDate: z.string().nullish() }).nullish() }).nullish(),
});

/** The sms provider "nhncloud": SMS, LMS and MMS (and their ad variants) to Korean numbers. */
export class NhnCloudSmsProvider implements SmsProvider {
  readonly id = "nhncloud";
  readonly channel = "sms";
  // The v3.0 guide documents no idempotency header for SMS (unlike the Kakao APIs), and no query by our id.
  readonly idempotency = "none" as const;
  // The v3.0 MMS section: JPEG, at most 3 files of 300 KB, 800 KB together, 1000×1000 px (upload.ts).
  readonly images = NHN_MMS_IMAGES;
  // NHN sends in EUC-KR ("인코딩은 EUC-KR 기준"): strict KS X 1001, the channel's default, declared for clarity.
  readonly encoding = "euc-kr" as const;

  constructor(
    private readonly config: NhnCloudSmsConfig,
    private readonly clock: Clock,
  ) {}

  async send({ to, payload, context }: ProviderCall<SmsPayload>): Promise<SendResult> {
    if (payload.type === "INTL_SMS" || payload.from === undefined) {
      throw new ChannelRejectedError("NHN Cloud SMS is set up here for Korean numbers only: list it in `providers`, not `international`", { providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    }
    const long = payload.type !== "SMS";
    const path = `${payload.ad ? "ad-" : ""}${long ? "mms" : "sms"}`;
    const body: Record<string, unknown> = {
      body: payload.text,
      sendNo: nationalNumber(payload.from),
      recipientList: [{ recipientNo: nationalNumber(to), recipientGroupingKey: context.messageId }],
    };
    if (long) body["title"] = payload.title;
    if (payload.images?.length) body["attachFileIdList"] = payload.images.map((i) => i.ref);
    const answer = await vendorRequest(this.url(`/sender/${path}`), {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify(body),
      timeoutMs: this.config.timeoutMs,
    });
    const parsed = SendAnswer.safeParse(answer.body);
    if (!parsed.success) throw unexpected(answer.status, parsed.error);
    const { header } = parsed.data;
    if (!header.isSuccessful) throw nhnSmsError(header.resultCode, header.resultMessage ?? "");
    const data = parsed.data.body?.data;
    const result = data?.sendResultList[0];
    if (!data || !result) throw new ChannelRejectedError("NHN Cloud SMS accepted the request without a send result", { providerCode: String(header.resultCode) });
    if (result.resultCode !== 0) throw nhnSmsError(result.resultCode, result.resultMessage ?? "");
    return { providerMessageId: `${data.requestId}:${result.recipientSeq}`, status: "sent", messageType: payload.type, providerCode: String(result.resultCode) };
  }

  /** `GET /sms/v3.0/appKeys/{appKey}/sender/{sms|mms}/{requestId}?recipientSeq=` (same guide, "Query Delivery"). */
  async poll(providerMessageId: string, messageType = "SMS"): Promise<DeliveryReport | null> {
    const [requestId, seq] = providerMessageId.split(":");
    const kind = messageType === "SMS" ? "sms" : "mms";
    const answer = await vendorRequest(this.url(`/sender/${kind}/${encodeURIComponent(requestId ?? "")}?recipientSeq=${encodeURIComponent(seq ?? "")}`), {
      method: "GET",
      headers: this.headers(),
      timeoutMs: this.config.timeoutMs,
    });
    const parsed = PollAnswer.safeParse(answer.body);
    if (!parsed.success) throw unexpected(answer.status, parsed.error);
    if (!parsed.data.header.isSuccessful) throw nhnSmsError(parsed.data.header.resultCode, parsed.data.header.resultMessage ?? "");
    const data = parsed.data.body?.data;
    if (!data) return null;
    // msgStatus: 0 failed, 1 requesting, 2 processing, 3 success, 4 cancelled, 5 duplicate (v3.0 list API).
    const status = data.msgStatus === "3" ? "delivered" : ["0", "4", "5", "6"].includes(data.msgStatus) ? "failed" : "sent";
    const code = data.resultCode ?? undefined;
    return {
      providerMessageId,
      status,
      ...(code ? { providerCode: code } : {}),
      at: kstToEpoch(data.resultDate, this.clock.now()),
      ...(status === "failed" && code && NHN_DEAD_NUMBER.has(code) ? { invalidateContact: true } : {}),
    };
  }

  /** Checks an MMS image and uploads it to NHN (upload.ts); the answer goes into the content's `images`. */
  upload(file: MmsImageFile): Promise<{ ref: string; name: string; sizeBytes: number }> {
    return uploadNhnMmsImage(this.config, file);
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    return parseNhnSmsWebhook(request, this.config.webhookSignature, this.clock.now());
  }

  private url(path: string): string {
    return `${this.config.baseUrl.replace(/\/$/, "")}/sms/v3.0/appKeys/${encodeURIComponent(this.config.appKey)}${path}`;
  }

  private headers(): Record<string, string> {
    return { "Content-Type": "application/json;charset=UTF-8", "X-Secret-Key": this.config.secretKey };
  }
}

function unexpected(status: number, error: z.ZodError): ChannelRejectedError {
  const v = ValidationError.fromZod("NHN Cloud SMS answer", error);
  return new ChannelRejectedError(`NHN Cloud SMS answered HTTP ${status} with an unexpected body: ${v.message}`, { providerCode: `HTTP_${status}` });
}
