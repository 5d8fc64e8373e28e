import { pino, type Logger as PinoLogger } from "pino";

/** The injected logger is pino's. Library code logs only through it, never `console`. */
export type Logger = PinoLogger;

/**
 * Paths redacted from every log line: secrets and personal data. Plugins add their own fields
 * by logging them under these names (e.g. `{ phone }`, `{ secretKey }`).
 */
export const REDACT_PATHS = [
  "password",
  "*.password",
  "secret",
  "*.secret",
  "secretKey",
  "*.secretKey",
  "apiKey",
  "*.apiKey",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-secret-key"]',
  "email",
  "*.email",
  "phone",
  "*.phone",
  "recipient",
  "*.recipient",
  "traits",
  "*.traits",
  "contacts",
  "*.contacts",
];

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? "nudge",
    level: options.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
  });
}

/** A logger that writes nothing: the default in tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
