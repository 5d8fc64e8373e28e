import { inject, injectable } from "tsyringe";
import type { EnrollmentStore, MessageStore, SpendRow } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";

export interface CostQuery {
  journeyId?: string;
  /** Inclusive, epoch ms (attempt time; conversion time for conversions). */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
}

export interface CostLine {
  currency: string;
  amount: number;
  /** Attempts that recorded a cost (zero-cost refused attempts included). */
  attempts: number;
}

export interface JourneyCost extends CostLine {
  journeyId: string | null;
  /** Enrollments converted in the period; null for messages sent outside journeys. */
  conversions: number | null;
  costPerConversion: number | null;
}

export interface CostSummary {
  total: CostLine[];
  byJourney: JourneyCost[];
  byStep: (CostLine & { journeyId: string | null; stepId: string | null })[];
  byChannel: (CostLine & { channel: string; messages: number })[];
}

/**
 * Spend from the message log: every attempt records its cost, so totals per journey, step and channel
 * (each per currency, never converted) and cost per conversion come from one aggregate of the store.
 */
@injectable()
export class CostReport {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
  ) {}

  async cost(query: CostQuery = {}): Promise<CostSummary> {
    const rows = await this.messages.spend(this.ws, query);
    const byJourney = group(rows, (r) => [r.journeyId]).map((g) => ({ journeyId: g.key[0] ?? null, ...g.line }));
    const range = { ...(query.from === undefined ? {} : { from: query.from }), ...(query.to === undefined ? {} : { to: query.to }) };
    const journeys: JourneyCost[] = [];
    for (const j of byJourney) {
      const conversions = j.journeyId === null ? null : await this.enrollments.countConverted(this.ws, j.journeyId, range);
      journeys.push({ ...j, conversions, costPerConversion: conversions ? round(j.amount / conversions) : null });
    }
    return {
      total: group(rows, () => []).map((g) => g.line),
      byJourney: journeys,
      byStep: group(rows, (r) => [r.journeyId, r.stepId]).map((g) => ({ journeyId: g.key[0] ?? null, stepId: g.key[1] ?? null, ...g.line })),
      byChannel: group(rows, (r) => [r.channel]).map((g) => ({
        channel: g.key[0] ?? "",
        ...g.line,
        messages: rows.filter((r) => r.channel === g.key[0] && r.currency === g.line.currency).reduce((n, r) => n + r.messages, 0),
      })),
    };
  }
}

/** Sums rows by key and currency, in a stable order. */
function group(rows: SpendRow[], key: (r: SpendRow) => (string | null)[]): { key: (string | null)[]; line: CostLine }[] {
  const out = new Map<string, { key: (string | null)[]; line: CostLine }>();
  for (const r of rows) {
    const k = key(r);
    const id = JSON.stringify([...k, r.currency]);
    let entry = out.get(id);
    if (!entry) {
      entry = { key: k, line: { currency: r.currency, amount: 0, attempts: 0 } };
      out.set(id, entry);
    }
    entry.line.amount = round(entry.line.amount + r.amount);
    entry.line.attempts += r.attempts;
  }
  return [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
}

/** Money in float sums (9.9 + 9.9 ...): kept to 4 decimals so reports do not show 19.800000000000001. */
function round(v: number): number {
  return Math.round(v * 10_000) / 10_000;
}
