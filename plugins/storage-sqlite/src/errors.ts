import Database from "better-sqlite3";
import { ConflictError, NudgeError, StorageUnavailableError } from "@nudge/core";

/** SQLite result codes that mean "the database cannot take this now" rather than "bad request". */
const UNAVAILABLE = /^SQLITE_(FULL|IOERR|CANTOPEN|BUSY|LOCKED|READONLY|CORRUPT|NOTADB|NOMEM|PROTOCOL|AUTH)/;

export function isConstraintError(e: unknown): boolean {
  return e instanceof Database.SqliteError && e.code.startsWith("SQLITE_CONSTRAINT");
}

/**
 * Turns a driver error into a core error. Full disk, I/O errors, locks held too long, a corrupt or
 * closed file: StorageUnavailableError (retryable; HTTP answers 503). Anything else is a bug and is
 * rethrown as it is.
 */
export function toCoreError(e: unknown, location: string): unknown {
  if (e instanceof NudgeError) return e;
  if (e instanceof Database.SqliteError && UNAVAILABLE.test(e.code)) {
    return new StorageUnavailableError(`SQLite database at ${location} is unavailable (${e.code}): ${e.message}`, e);
  }
  if (e instanceof TypeError && /database connection is not open/.test(e.message)) {
    return new StorageUnavailableError(`SQLite database at ${location} is closed`, e);
  }
  return e;
}

/** A unique-constraint failure on a versioned write is somebody else's concurrent write. */
export function conflictOr(e: unknown, what: string, id: string): unknown {
  return isConstraintError(e) ? new ConflictError(what, id) : e;
}
