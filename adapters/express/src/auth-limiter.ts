import { createHmac, randomBytes } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { ipKeyGenerator } from "express-rate-limit";
import type { Clock, Logger } from "@nudge/core";
import { bearer } from "./api-keys.js";
import type { RouterMetrics } from "./metrics.js";
import type { AuthLimitOptions } from "./options.js";
import { problem, sendProblem } from "./problem.js";

type By = "address" | "keyPrefix";

interface Window {
  failures: number;
  resetAt: number;
}

/**
 * Failed authentications per client address and per key prefix, in fixed windows on the instance's
 * Clock. The check runs before the key is compared: a locked-out address or prefix answers 429 at once.
 *
 * Hand-written rather than express-rate-limit: that library counts a request before its answer is
 * known and takes it back afterwards (skipSuccessfulRequests), so a burst of valid keys would fill the
 * count of failures; and its MemoryStore keeps the real time, which tests cannot move.
 */
export class AuthLimiter {
  /** Keyed by an HMAC of "<by>:<address or prefix>": no key material is held. In insertion order, oldest first. */
  private readonly windows = new Map<string, Window>();
  /** Makes the names in logs and the map keys unguessable offline, stable while the process runs. */
  private readonly salt = randomBytes(16);
  private readonly logger: Logger;

  constructor(
    private readonly options: AuthLimitOptions,
    private readonly clock: Clock,
    logger: Logger,
    private readonly metrics: RouterMetrics,
  ) {
    this.logger = logger.child({ component: "auth" });
  }

  /** Middleware before the key check: 429 problem JSON with Retry-After while the address or the key's prefix is locked out. */
  readonly guard: RequestHandler = (req, res, next) => {
    const now = this.clock.now();
    for (const [by, name] of this.names(req, bearer(req.headers.authorization))) {
      const w = this.windows.get(name);
      if (w === undefined || w.resetAt <= now || w.failures < this.limit(by)) continue;
      const retryAfter = Math.max(1, Math.ceil((w.resetAt - now) / 1000));
      const who = by === "address" ? "this client address" : "this key prefix";
      sendProblem(res, { ...problem(429, "NUDGE_AUTH_LOCKED_OUT", `Too many failed authentications from ${who}: try again in ${retryAfter} s`), retryAfter });
      return;
    }
    next();
  };

  /** Counts one failed authentication (no key, or an unknown one) against the request's address and the key's prefix. */
  readonly fail = (req: Request, presented: string | null): void => {
    const now = this.clock.now();
    for (const [by, name] of this.names(req, presented)) {
      let w = this.windows.get(name);
      if (w === undefined || w.resetAt <= now) {
        this.windows.delete(name);
        this.makeRoom(now);
        w = { failures: 0, resetAt: now + this.options.windowMs };
        this.windows.set(name, w);
      }
      w.failures++;
      if (w.failures !== this.limit(by)) continue;
      this.metrics.authLockedOut(by);
      // Names are hashed: a prefix holds characters of a secret key, and client addresses are never logged.
      this.logger.warn(
        { by, name: name.slice(0, 16), failures: w.failures, windowMs: this.options.windowMs, lockedForMs: w.resetAt - now },
        `authentication locked out: too many failed attempts with this ${by === "address" ? "client address" : "key prefix"}`,
      );
    }
  };

  private limit(by: By): number {
    return by === "address" ? this.options.perAddress : this.options.perKeyPrefix;
  }

  private names(req: Request, presented: string | null): [By, string][] {
    // express-rate-limit's own address key: an IPv6 client counts with its /56 network, which one holder controls.
    const out: [By, string][] = [["address", this.hash(`address:${ipKeyGenerator(req.ip ?? "")}`)]];
    if (presented !== null) out.push(["keyPrefix", this.hash(`keyPrefix:${presented.slice(0, this.options.prefixLength)}`)]);
    return out;
  }

  private hash(text: string): string {
    return createHmac("sha256", this.salt).update(text, "utf8").digest("hex");
  }

  /**
   * Forgets ended windows, and the oldest ones while the map is full. Every window lasts windowMs and is
   * inserted when it opens, so the map's insertion order is the order in which windows end.
   */
  private makeRoom(now: number): void {
    for (const [name, w] of this.windows) {
      if (w.resetAt > now && this.windows.size < this.options.maxTracked) return;
      this.windows.delete(name);
    }
  }
}
