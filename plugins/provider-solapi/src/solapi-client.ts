import { z } from "zod";
import { ChannelRejectedError, ValidationError, vendorRequest, type Clock, type DeliveryReport } from "@nudge/core";
import { solapiHttpError } from "./errors.js";
import { solapiReportStatus } from "./report-status.js";
import { solapiAuthorization } from "./solapi-auth.js";

/** What a channel's config holds for Solapi. */
export interface SolapiAccount {
  apiKey: string;
  apiSecret: string;
  baseUrl: string;
}

/**
 * `send-many/detail`'s answer `{ groupInfo, failedMessageList[], messageList[] }`
 * (solapi/solapi-nodejs src/models/responses/sendManyDetailResponse.ts); only the fields read are checked.
 */
const SendAnswer = z.object({
  failedMessageList: z.array(z.object({ statusCode: z.string(), statusMessage: z.string().nullish() }).passthrough()).default([]),
  messageList: z.array(z.object({ messageId: z.string(), statusCode: z.string() }).passthrough()).optional(),
});

const ErrorAnswer = z.object({ errorCode: z.string(), errorMessage: z.string().nullish() });

const ListAnswer = z.object({
  messageList: z.record(z.string(), z.object({ statusCode: z.string(), statusMessage: z.string().nullish(), dateReceived: z.string().nullish(), dateUpdated: z.string().nullish() }).passthrough()),
});

/** One message's registration: accepted with an id, or refused with Solapi's per-message code (which the channel maps). */
export type SolapiSendOutcome = { accepted: true; messageId: string; statusCode: string } | { accepted: false; statusCode: string; statusMessage: string };

/**
 * Solapi messages v4, shared by the channels that send through it. Every request is signed afresh
 * (solapi-auth.ts); HTTP errors become core errors here, per-message codes are left to the channel.
 */
export class SolapiClient {
  constructor(
    private readonly account: SolapiAccount,
    private readonly deps: { clock: Clock; timeoutMs: number },
  ) {}

  /**
   * `POST /messages/v4/send-many/detail` with one message (solapi/solapi-nodejs src/services/messages/messageService.ts).
   * `allowDuplicates: false` is Solapi's duplicate protection.
   */
  async send(message: Record<string, unknown>): Promise<SolapiSendOutcome> {
    const parsed = SendAnswer.safeParse(await this.call("POST", "/messages/v4/send-many/detail", { messages: [message], allowDuplicates: false, showMessageList: true }));
    if (!parsed.success) throw unexpected(parsed.error);
    const failed = parsed.data.failedMessageList[0];
    if (failed) return { accepted: false, statusCode: failed.statusCode, statusMessage: failed.statusMessage ?? "" };
    const sent = parsed.data.messageList?.[0];
    if (!sent) throw new ChannelRejectedError("Solapi accepted the request without a message id");
    return { accepted: true, messageId: sent.messageId, statusCode: sent.statusCode };
  }

  /**
   * `GET /messages/v4/list?criteria=messageId&value=<id>&cond=eq` (Solapi API reference, message list); null when
   * Solapi does not know the id. The status follows Solapi's code table (status-codes.ts).
   */
  async report(messageId: string): Promise<DeliveryReport | null> {
    const parsed = ListAnswer.safeParse(await this.call("GET", `/messages/v4/list?criteria=messageId&value=${encodeURIComponent(messageId)}&cond=eq`));
    if (!parsed.success) throw unexpected(parsed.error);
    const found = parsed.data.messageList[messageId];
    if (!found) return null;
    const at = Date.parse(found.dateReceived ?? found.dateUpdated ?? "");
    const status = solapiReportStatus(found.statusCode);
    return {
      providerMessageId: messageId,
      status,
      providerCode: found.statusCode,
      ...(status === "failed" && found.statusMessage ? { reason: found.statusMessage } : {}),
      at: Number.isFinite(at) ? at : this.deps.clock.now(),
    };
  }

  private async call(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
    const answer = await vendorRequest(`${this.account.baseUrl.replace(/\/$/, "")}${path}`, {
      method,
      headers: {
        Authorization: solapiAuthorization(this.account.apiKey, this.account.apiSecret, this.deps.clock.now()),
        "Content-Type": "application/json",
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs: this.deps.timeoutMs,
    });
    if (answer.status >= 400) {
      const err = ErrorAnswer.safeParse(answer.body);
      throw solapiHttpError(answer.status, err.success ? err.data.errorCode : `HTTP_${answer.status}`, err.success ? (err.data.errorMessage ?? "") : "");
    }
    return answer.body;
  }
}

function unexpected(error: z.ZodError): ChannelRejectedError {
  return new ChannelRejectedError(`Solapi answered with an unexpected body: ${ValidationError.fromZod("Solapi answer", error).message}`);
}
