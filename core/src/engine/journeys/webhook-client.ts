import { EngineTokens } from "../engine-tokens.js";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { inject, injectable } from "tsyringe";
import { NudgeError } from "../../errors.js";
import type { Logger } from "../../ports/logger.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ADDRESS_REFUSED, nonPublicReason, refusedAddress } from "./address-guard.js";
import { HostResolver } from "./host-resolver.js";
import { safeLookup } from "./safe-lookup.js";

export interface WebhookCall {
  /** The step making the call: dry runs answer by it. */
  stepId: string;
  url: string;
  body: unknown;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Sent as Idempotency-Key, so a receiver can recognise the step's call. */
  idempotencyKey: string;
}

export interface WebhookAnswer {
  ok: boolean;
  /** HTTP status; null when no answer came (network error, timeout, refused address). */
  status: number | null;
  body?: unknown;
  error?: string;
  /** Worth another try: network errors, timeouts, 408, 429, 5xx. */
  retryable: boolean;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * POSTs JSON with a timeout. node:http is used directly (not fetch) because its `lookup` hook lets
 * every resolved address be checked at connect time, which is what keeps private addresses out.
 * Redirects are not followed: a 3xx is an answer like any other, so it cannot lead to an unchecked host.
 */
@injectable()
export class WebhookClient {
  private readonly lookups: { guarded: LookupFunction; allowed: LookupFunction };
  /**
   * This instance's own connection pools: a pooled socket skips `lookup`, so sharing Node's global
   * agent would let a guarded call reuse a connection another instance opened to a private address.
   */
  private readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  constructor(
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(HostResolver) resolver: HostResolver,
  ) {
    this.lookups = { guarded: safeLookup(resolver), allowed: safeLookup(resolver, { allowNonPublic: true }) };
    const { allowPrivateAddresses, allowHosts, dryRun } = options.journeys.webhooks;
    if (dryRun) return;
    if (allowPrivateAddresses) this.logger.warn("webhook steps may call private and loopback addresses (settings.journeys.webhooks.allowPrivateAddresses)");
    else if (allowHosts.length > 0) this.logger.warn({ allowHosts }, "webhook steps may call these hosts at private addresses (settings.journeys.webhooks.allowHosts)");
  }

  async post(call: WebhookCall): Promise<WebhookAnswer> {
    const url = new URL(call.url);
    const settings = this.options.journeys.webhooks;
    if (settings.dryRun) {
      const answer = settings.dryRunAnswers[call.stepId] ?? { status: 200, body: {} };
      this.logger.info({ url: `${url.origin}${url.pathname}`, stepId: call.stepId, status: answer.status }, "webhook dry run: not called");
      return classify(answer.status, answer.body);
    }
    // WHATWG URL parsing has already turned 0x7f.1, 2130706433 and 0177.0.0.1 into 127.0.0.1.
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const guarded = !settings.allowPrivateAddresses && !settings.allowHosts.some((h) => h.toLowerCase() === host);
    // An IP literal never goes through `lookup`, so it is checked here.
    const reason = guarded && isIP(host) !== 0 ? nonPublicReason(host) : null;
    if (reason) return { ok: false, status: null, error: refusedAddress(host, host, reason).message, retryable: false };
    const payload = Buffer.from(JSON.stringify(call.body ?? {}));
    try {
      const res = await this.send(url, payload, call, guarded);
      return classify(res.status, res.body);
    } catch (err) {
      const refused = err instanceof NudgeError && err.code === ADDRESS_REFUSED;
      this.logger.info({ url: `${url.origin}${url.pathname}`, err: (err as Error).message }, "webhook call failed");
      return { ok: false, status: null, error: (err as Error).message, retryable: !refused };
    }
  }

  private send(url: URL, payload: Buffer, call: WebhookCall, guarded: boolean): Promise<{ status: number; body: unknown }> {
    const https = url.protocol === "https:";
    const request = https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: "POST",
          headers: {
            ...call.headers,
            "content-type": "application/json",
            "content-length": String(payload.length),
            "idempotency-key": call.idempotencyKey,
            "user-agent": "nudge-webhook",
          },
          agent: https ? this.agents.https : this.agents.http,
          lookup: guarded ? this.lookups.guarded : this.lookups.allowed,
          signal: AbortSignal.timeout(call.timeoutMs),
        },
        (res) => readBody(res).then((body) => resolve({ status: res.statusCode ?? 0, body }), reject),
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
}

function classify(status: number, body: unknown): WebhookAnswer {
  const ok = status >= 200 && status < 300;
  return { ok, status, body, retryable: !ok && (status === 408 || status === 429 || status >= 500) };
}

async function readBody(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      res.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!/json/i.test(String(res.headers["content-type"] ?? ""))) return text.length > 0 ? text.slice(0, 2000) : undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
