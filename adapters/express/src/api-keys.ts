import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Request, RequestHandler } from "express";
import type { ApiKeyOption, ApiKeyScope } from "./options.js";
import { problem, sendProblem } from "./problem.js";

/** The hex SHA-256 of a key: what a host may put in its configuration instead of the key. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A new random key (32 bytes, base64url) with a readable prefix, e.g. `nk_ingest_…`. */
export function generateApiKey(prefix = "nk"): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

/** The key a request authenticated with, kept on `res.locals.apiKey`. */
export interface AuthenticatedKey {
  id: string;
  scopes: ReadonlySet<ApiKeyScope>;
}

interface StoredKey extends AuthenticatedKey {
  hash: Buffer;
}

/**
 * The keys of one router (one Nudge instance, so one workspace). Only SHA-256 hashes are kept; a
 * presented key is hashed and compared with every stored hash in constant time, without stopping at
 * the first match, so timing reveals neither a key nor which key matched.
 */
export class ApiKeys {
  private readonly keys: StoredKey[];

  constructor(options: readonly ApiKeyOption[]) {
    this.keys = options.map((k) => ({
      id: k.id,
      scopes: new Set(k.scopes),
      hash: Buffer.from("key" in k ? hashApiKey(k.key) : k.sha256.toLowerCase(), "hex"),
    }));
  }

  /** The key matching a presented secret, or null. */
  authenticate(presented: string): AuthenticatedKey | null {
    const hash = createHash("sha256").update(presented, "utf8").digest();
    let found: StoredKey | null = null;
    for (const k of this.keys) {
      if (timingSafeEqual(hash, k.hash) && found === null) found = k;
    }
    return found ? { id: found.id, scopes: found.scopes } : null;
  }

  /**
   * Middleware: 401 without a valid `Authorization: Bearer <key>` (reported to `onFailure` with the key
   * presented, if any), 403 when the key lacks the scope.
   */
  require(scope: ApiKeyScope, onFailure?: (req: Request, presented: string | null) => void): RequestHandler {
    return (req, res, next) => {
      const presented = bearer(req.headers.authorization);
      const key = presented === null ? null : this.authenticate(presented);
      if (!key) {
        onFailure?.(req, presented);
        res.setHeader("WWW-Authenticate", 'Bearer realm="nudge"');
        sendProblem(res, problem(401, "NUDGE_UNAUTHENTICATED", "Send an API key of this workspace as `Authorization: Bearer <key>`"));
        return;
      }
      if (!key.scopes.has(scope)) {
        sendProblem(res, problem(403, "NUDGE_FORBIDDEN", `The key "${key.id}" does not have the "${scope}" scope`));
        return;
      }
      res.locals["apiKey"] = key;
      next();
    };
  }
}

/** The key of an `Authorization: Bearer <key>` header, or null. */
export function bearer(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
