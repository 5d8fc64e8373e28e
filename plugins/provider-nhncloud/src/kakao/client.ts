import { ChannelRejectedError, ValidationError, vendorRequest } from "@nudge/core";
import type { z } from "zod";
import type { NhnCloudKakaoConfig } from "./config.js";

/** The two APIs of KakaoTalk Bizmessage a kakao provider uses, below the app key. */
export const NHN_KAKAO_API = {
  brand: "/brand-message/v1.0/appkeys/{appkey}",
  alimtalk: "/alimtalk/v2.3/appkeys/{appkey}",
} as const;
export type NhnKakaoApi = keyof typeof NHN_KAKAO_API;

/**
 * Calls NHN Cloud KakaoTalk Bizmessage: the app key in the path, `X-Secret-Key` on every request (both guides'
 * [Header] tables), `X-NC-API-IDEMPOTENCY-KEY` on sends. Network errors, 429 and 5xx are mapped by vendorRequest;
 * an answer is parsed with the caller's schema, whose `header.resultCode` the caller reads.
 */
export class NhnKakaoClient {
  constructor(private readonly config: NhnCloudKakaoConfig) {}

  async call<T>(schema: z.ZodType<T>, method: "GET" | "POST", api: NhnKakaoApi, path: string, options: { body?: unknown; idempotencyKey?: string } = {}): Promise<T> {
    const headers: Record<string, string> = { "Content-Type": "application/json;charset=UTF-8", "X-Secret-Key": this.config.secretKey };
    if (options.idempotencyKey !== undefined) headers["X-NC-API-IDEMPOTENCY-KEY"] = options.idempotencyKey;
    const answer = await vendorRequest(this.url(api, path), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      timeoutMs: this.config.timeoutMs,
    });
    const parsed = schema.safeParse(answer.body);
    if (!parsed.success) {
      throw new ChannelRejectedError(`NHN Cloud answered HTTP ${answer.status} with an unexpected body: ${ValidationError.fromZod("answer", parsed.error).message}`, { providerCode: `HTTP_${answer.status}` });
    }
    return parsed.data;
  }

  private url(api: NhnKakaoApi, path: string): string {
    return `${this.config.baseUrl.replace(/\/$/, "")}${NHN_KAKAO_API[api].replace("{appkey}", encodeURIComponent(this.config.appKey))}${path}`;
  }
}
