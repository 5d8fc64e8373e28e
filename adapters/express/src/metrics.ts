import type { RequestHandler } from "express";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { type Message, type Nudge } from "@nudge/core";

/** How many (message, status) pairs are remembered so a status is counted once per message. */
const SEEN_CAPACITY = 50_000;

/**
 * Prometheus metrics of one router. Each router owns its Registry (never prom-client's global one):
 * several Nudge instances, one per workspace, may live in one process, each with its own /metrics.
 */
export class RouterMetrics {
  readonly registry = new Registry();
  private readonly events: Counter<"type">;
  private readonly messages: Counter<"channel" | "status">;
  private readonly latency: Histogram<"method" | "route" | "status">;
  private readonly authFailures: Counter;
  private readonly authLockouts: Counter<"by">;
  private readonly seen = new Set<string>();

  constructor(nudge: Nudge) {
    this.registry.setDefaultLabels({ workspace: nudge.workspace });
    const registers = [this.registry];
    this.events = new Counter({ name: "nudge_events_ingested_total", help: "Events accepted and stored (duplicates excluded)", labelNames: ["type"], registers });
    this.messages = new Counter({
      name: "nudge_messages_total",
      help: "Messages that reached a status, by channel",
      labelNames: ["channel", "status"],
      registers,
    });
    this.latency = new Histogram({
      name: "nudge_http_request_duration_seconds",
      help: "HTTP request latency by route pattern",
      labelNames: ["method", "route", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.authFailures = new Counter({ name: "nudge_auth_failures_total", help: "Requests refused for a missing or unknown API key (401)", registers });
    this.authLockouts = new Counter({
      name: "nudge_auth_lockouts_total",
      help: "Client addresses or key prefixes locked out after too many failed authentications, by what was locked",
      labelNames: ["by"],
      registers,
    });
    const system = nudge.system;
    new Gauge({
      name: "nudge_queue_jobs",
      help: "Jobs in the instance's queue, by state",
      labelNames: ["state"],
      registers,
      async collect() {
        const stats = await system.queueStats();
        this.set({ state: "waiting" }, stats.waiting);
        this.set({ state: "active" }, stats.active);
      },
    });
    nudge.hooks.on("event.accepted", (e) => this.events.inc({ type: e.type }));
    nudge.hooks.on("message.updated", (m) => this.onMessage(m));
  }

  /** Observes every request's latency under its route pattern, never its concrete path (bounded labels). */
  readonly observe: RequestHandler = (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once("finish", () => {
      const route = (res.locals["route"] as string | undefined) ?? "unmatched";
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.latency.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
    });
    next();
  };

  /** One failed authentication. */
  authFailed(): void {
    this.authFailures.inc();
  }

  /** A client address or a key prefix reached its limit of failed authentications. */
  authLockedOut(by: "address" | "keyPrefix"): void {
    this.authLockouts.inc({ by });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** message.updated fires on every save; count each status once per message. */
  private onMessage(m: Message): void {
    const key = `${m.id}\u0000${m.status}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // A Set iterates in insertion order: dropping the first entry forgets the oldest pair.
    if (this.seen.size > SEEN_CAPACITY) this.seen.delete(this.seen.values().next().value!);
    this.messages.inc({ channel: m.channel, status: m.status });
  }
}
