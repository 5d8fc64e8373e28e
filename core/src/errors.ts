import type { z } from "zod";

/** A field-level problem, the shape every boundary reports (HTTP, plugin config, definitions). */
export interface FieldIssue {
  path: string;
  message: string;
}

export interface NudgeErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  details?: Record<string, unknown>;
}

/** The base of every error Nudge raises. `code` is stable and documented; `message` is for people. */
export class NudgeError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: NudgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out === "" ? "(root)" : out;
}

export function issuesFromZod(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((i) => {
    const path = formatPath(i.path);
    return {
      path: prefix ? (path === "(root)" ? prefix : `${prefix}.${path}`) : path,
      message: i.message,
    };
  });
}

function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join("; ");
}

/** Input that does not match its schema. `issues` name every bad field. */
export class ValidationError extends NudgeError {
  readonly issues: FieldIssue[];
  constructor(what: string, issues: FieldIssue[], options: NudgeErrorOptions = {}) {
    super("NUDGE_VALIDATION", `Invalid ${what}: ${describeIssues(issues)}`, options);
    this.issues = issues;
  }

  static fromZod(what: string, error: z.ZodError, prefix = ""): ValidationError {
    return new ValidationError(what, issuesFromZod(error, prefix), { cause: error });
  }
}

/**
 * A webhook call that does not prove it comes from the provider: its signature (or the shared token a
 * provider sends instead) is missing or does not match, or the plugin has none configured to check it
 * against. HTTP answers 401. A call signed correctly whose body is malformed is a ValidationError (400).
 */
export class WebhookSignatureError extends NudgeError {
  /** Where the signature was looked for, e.g. `headers.x-twilio-signature`, `query.token`, `Signature`. */
  readonly field: string;
  constructor(what: string, field: string, reason: string, options: NudgeErrorOptions = {}) {
    super("NUDGE_WEBHOOK_SIGNATURE", `Unverified ${what}: ${field}: ${reason}`, { ...options, details: { field, ...options.details } });
    this.field = field;
  }
}

export class NotFoundError extends NudgeError {
  constructor(what: string, id: string) {
    super("NUDGE_NOT_FOUND", `${what} "${id}" was not found`, { details: { what, id } });
  }
}

/** An optimistic-concurrency conflict: somebody else wrote the record first. Retry from a fresh read. */
export class ConflictError extends NudgeError {
  constructor(what: string, id: string) {
    super("NUDGE_CONFLICT", `${what} "${id}" was changed concurrently`, { retryable: true, details: { what, id } });
  }
}

export class PluginConfigError extends NudgeError {
  readonly pluginId: string;
  readonly issues: FieldIssue[];
  constructor(pluginId: string, issues: FieldIssue[], cause?: unknown) {
    super("NUDGE_PLUGIN_CONFIG", `Plugin "${pluginId}" has an invalid config: ${describeIssues(issues)}`, {
      cause,
      details: { pluginId, issues },
    });
    this.pluginId = pluginId;
    this.issues = issues;
  }
}

export type LifecyclePhase = "register" | "init" | "close";

export class PluginLifecycleError extends NudgeError {
  readonly pluginId: string;
  readonly phase: LifecyclePhase;
  constructor(pluginId: string, phase: LifecyclePhase, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super("NUDGE_PLUGIN_LIFECYCLE", `Error in plugin "${pluginId}" during ${phase}: ${reason}`, {
      cause,
      details: { pluginId, phase },
    });
    this.pluginId = pluginId;
    this.phase = phase;
  }
}

/** Wrong assembly, found at boot: duplicate ids, two plugins claiming one port, a missing port. */
export class BootError extends NudgeError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { details });
  }
}

/** The instance is stopping or stopped and takes no new work. */
export class StoppedError extends NudgeError {
  constructor(workspace: string) {
    super("NUDGE_STOPPED", `Nudge instance "${workspace}" is stopped and accepts no new work`);
  }
}

/** A backing service (database, queue) is unreachable or full. Retryable; HTTP maps it to 503. */
export class StorageUnavailableError extends NudgeError {
  constructor(message: string, cause?: unknown) {
    super("NUDGE_STORAGE_UNAVAILABLE", message, { retryable: true, cause });
  }
}

export class TemplateError extends NudgeError {
  constructor(message: string, options: NudgeErrorOptions = {}) {
    super("NUDGE_TEMPLATE", message, options);
  }
}

// ---- channel errors: a plugin maps its vendor's answers onto these in its errors.ts ----

export interface ChannelErrorOptions extends NudgeErrorOptions {
  /** The vendor's own code, kept for people to read; the engine never branches on it. */
  providerCode?: string;
  /**
   * Contact points the provider declared dead while failing ("email", "phone", "push:<token>"): the
   * engine marks them invalid, as it does for those in a successful SendResult.
   */
  invalidContacts?: { key: string; reason: string }[];
  /**
   * The provider provably did not act on the call (connection refused, unknown host, HTTP 429): the
   * next provider of the channel may be tried at once. Leave it unset when the outcome is unknown (a
   * timeout, a reset, a 5xx after the request was sent).
   */
  notSent?: boolean;
}

export class ChannelError extends NudgeError {
  readonly providerCode: string | undefined;
  readonly invalidContacts: { key: string; reason: string }[];
  readonly notSent: boolean;
  constructor(code: string, message: string, options: ChannelErrorOptions) {
    super(code, message, options);
    this.providerCode = options.providerCode;
    this.invalidContacts = options.invalidContacts ?? [];
    this.notSent = options.notSent ?? false;
  }
}

/** The provider refused the message for good (invalid number, blocked, bad content). No retry. */
export class ChannelRejectedError extends ChannelError {
  constructor(message: string, options: ChannelErrorOptions = {}) {
    super("NUDGE_CHANNEL_REJECTED", message, { ...options, retryable: false });
  }
}

/** The recipient cannot be reached on this channel (no address, not a channel friend, no token). Falls back. */
export class RecipientUnreachableError extends ChannelError {
  constructor(message: string, options: ChannelErrorOptions = {}) {
    super("NUDGE_RECIPIENT_UNREACHABLE", message, { ...options, retryable: false });
  }
}

/** A transient failure: timeout, 5xx, network. Retried with backoff. */
export class ChannelUnavailableError extends ChannelError {
  constructor(message: string, options: ChannelErrorOptions = {}) {
    super("NUDGE_CHANNEL_UNAVAILABLE", message, { ...options, retryable: true });
  }
}

export class RateLimitedError extends ChannelError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: ChannelErrorOptions & { retryAfterMs?: number } = {}) {
    super("NUDGE_CHANNEL_RATE_LIMITED", message, { ...options, retryable: true });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The provider refuses to send now but will later (e.g. outside Kakao's sending hours). */
export class ChannelDeferredError extends ChannelError {
  readonly notBefore: number | undefined;
  constructor(message: string, options: ChannelErrorOptions & { notBefore?: number } = {}) {
    super("NUDGE_CHANNEL_DEFERRED", message, { ...options, retryable: true });
    this.notBefore = options.notBefore;
  }
}

export function isNudgeError(e: unknown): e is NudgeError {
  return e instanceof NudgeError;
}
