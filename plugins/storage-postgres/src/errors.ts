import { NudgeError, StorageUnavailableError, ValidationError } from "@nudge/core";

interface PgLikeError {
  code?: string;
  message?: string;
  /** The constraint a violation names (node-postgres copies the server's field). */
  constraint?: string;
}

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNABORTED"]);
/** SQLSTATEs that mean the server or the link, not the statement: connection exceptions, shutdowns, overload. */
const SERVER_STATES = /^(08|57P0[123]|53300|53400)/;
const DRIVER_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end/i;

/** Whether the error is the database being out of reach (worth a retry), not a bad statement. */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof StorageUnavailableError) return true;
  const err = e as PgLikeError | null;
  if (!err || typeof err !== "object") return false;
  if (typeof err.code === "string" && (NETWORK_CODES.has(err.code) || SERVER_STATES.test(err.code))) return true;
  return typeof err.message === "string" && DRIVER_MESSAGES.test(err.message);
}

export const isUniqueViolation = (e: unknown): boolean => (e as PgLikeError | null)?.code === "23505";

/** The constraint an integrity violation names, if any. */
export const constraintOf = (e: unknown): string | undefined => (e as PgLikeError | null)?.constraint;

/**
 * Whether the server rolled the transaction back to break a deadlock (40P01) or a serialization failure
 * (40001): nothing of it was applied, so it can run again. PostgreSQL asks applications to retry exactly
 * these: https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html
 */
export const isRetryableRollback = (e: unknown): boolean => {
  const code = (e as PgLikeError | null)?.code;
  return code === "40P01" || code === "40001";
};

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
  }
}

/** Removes the password from any text a driver produced, in case one echoes it. */
export function scrub(text: string, password: string | null): string {
  return password ? text.split(password).join("***") : text;
}

/**
 * Turns a driver error into a core error: out of reach -> StorageUnavailableError naming the location;
 * a value PostgreSQL cannot store (a NUL in text or JSON) -> ValidationError; anything else as it is.
 */
export function toCoreError(e: unknown, location: string, password: string | null): unknown {
  if (e instanceof NudgeError) return e;
  const message = scrub(e instanceof Error ? e.message : String(e), password);
  if (isConnectionError(e)) return new StorageUnavailableError(`PostgreSQL at ${location} is unavailable: ${message}`, e);
  const code = (e as PgLikeError | null)?.code;
  if (code === "22P05" || code === "22021") {
    return new ValidationError("record", [{ path: "(record)", message: `PostgreSQL cannot store this value: ${message}` }], { cause: e });
  }
  return e;
}
