import {
  ChannelError,
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
} from "@nudge/core";
import type { FailureKind } from "./errors.js";

export type DeviceFailure = { ok: false; kind: FailureKind; code: string; message: string; retryAfterMs?: number };
export type DeviceOutcome = { ok: true; id: string } | DeviceFailure;

/** What a provider's thrown error means for one device. */
export function deviceFailure(e: unknown): DeviceFailure {
  const message = e instanceof Error ? e.message : String(e);
  const f = (kind: FailureKind, code: string, retryAfterMs?: number): DeviceFailure => ({ ok: false, kind, code, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  if (e instanceof RateLimitedError) return f("rate_limited", e.providerCode ?? e.code, e.retryAfterMs);
  if (e instanceof RecipientUnreachableError) return f("dead", e.providerCode ?? e.code);
  if (e instanceof ChannelRejectedError) return f("rejected", e.providerCode ?? e.code);
  if (e instanceof ChannelError) return f("transient", e.providerCode ?? e.code);
  // Not a core error: a provider bug or a raw network error. Unknown outcome, so transient.
  const name = e instanceof Error ? (e.name === "TimeoutError" || e.name === "AbortError" ? "TIMEOUT" : ((e as { code?: string }).code ?? "NETWORK")) : "NETWORK";
  return f("transient", name);
}

/**
 * The error for a send no device accepted: retryable when any device may work later (rate limited
 * first, with the longest Retry-After), unreachable when every token is dead, rejected otherwise.
 */
export function noDeviceAccepted(failures: DeviceFailure[], details: Record<string, unknown>, invalidContacts: { key: string; reason: string }[] = []): ChannelError {
  const pick = (kind: FailureKind) => failures.filter((f) => f.kind === kind);
  const summary = failures.map((f) => f.code).join(", ");
  const limited = pick("rate_limited");
  if (limited.length > 0) {
    const waits = limited.map((f) => f.retryAfterMs).filter((w): w is number => w !== undefined);
    return new RateLimitedError(`push rate limited (${summary})`, { providerCode: limited[0]!.code, details, invalidContacts, ...(waits.length ? { retryAfterMs: Math.max(...waits) } : {}) });
  }
  const transient = pick("transient");
  if (transient.length > 0) return new ChannelUnavailableError(`no device accepted the push, some may later (${summary})`, { providerCode: transient[0]!.code, details, invalidContacts });
  if (pick("dead").length === failures.length) return new RecipientUnreachableError(`every push token is dead (${summary})`, { providerCode: failures[0]?.code ?? "NO_DEVICE", details, invalidContacts });
  return new ChannelRejectedError(`the push was refused (${summary})`, { providerCode: pick("rejected")[0]?.code ?? "REJECTED", details, invalidContacts });
}
