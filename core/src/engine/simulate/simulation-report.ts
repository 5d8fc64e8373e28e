import { DateTime } from "luxon";
import { totalCost } from "../../domain/message.js";
import { Tokens } from "../../tokens.js";
import type { SimInstance } from "./sim-instance.js";
import type { SimulatedMessage, SimulatedStep, SimulationResult } from "./simulation.js";

const iso = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toISO()!;

/**
 * Listens to a throwaway instance while a simulation runs and turns what it stored into the result:
 * steps from the `journey.step` hook, messages and their decisions from the message log.
 */
export function collectResult(sim: SimInstance, journeyId: string, zone: string, profileId: string) {
  const ws = sim.workspace;
  const steps: SimulatedStep[] = [];
  sim.hooks.on("journey.step", (r) => {
    steps.push({
      at: iso(r.at, "utc"),
      local: iso(r.at, zone),
      journeyId: r.journeyId,
      version: r.version,
      enrollmentId: r.enrollmentId,
      stepId: r.stepId,
      type: r.type,
      via: r.via,
      outcome: r.outcome,
      next: r.next,
      note: r.note,
    });
  });

  return {
    /** Nothing left to happen: no active enrollment and no message still waiting to go out. */
    async settled(): Promise<boolean> {
      if ((await sim.resolve(Tokens.EnrollmentStore).listByProfile(ws, profileId, { state: "active" })).length > 0) return false;
      const pending = await sim.resolve(Tokens.MessageStore).list(ws, { profileId, limit: 1000 });
      return !pending.items.some((m) => m.status === "queued" || m.status === "deferred" || m.status === "sending");
    },

    async result(now: number): Promise<SimulationResult> {
      const log = await sim.resolve(Tokens.MessageStore).list(ws, { profileId, limit: 10_000 });
      const messages: SimulatedMessage[] = log.items
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((m) => {
          const at = m.sentAt ?? m.updatedAt;
          const last = m.attempts[m.attempts.length - 1];
          return {
            at: iso(at, "utc"),
            local: iso(at, zone),
            journeyId: m.journeyId,
            stepId: m.stepId,
            status: m.status,
            channel: m.channel,
            provider: last?.provider ?? null,
            recipient: m.recipient,
            content: m.content?.[m.channel] ?? null,
            cost: totalCost(m),
            attempts: m.attempts,
            decisions: m.decisions,
          };
        });
      const enrollments = (await sim.resolve(Tokens.EnrollmentStore).listByProfile(ws, profileId)).map((e) => ({
        id: e.id,
        journeyId: e.journeyId,
        version: e.version,
        state: e.state,
        exitReason: e.exitReason,
        enteredAt: iso(e.enteredAt, "utc"),
        endedAt: e.endedAt === null ? null : iso(e.endedAt, "utc"),
        convertedAt: e.convertedAt === null ? null : iso(e.convertedAt, "utc"),
      }));
      return {
        journeyId,
        timezone: zone,
        steps,
        messages,
        decisions: messages.flatMap((m) => m.decisions.map((d) => ({ ...d, stepId: m.stepId, channel: m.channel }))),
        enrollments: enrollments.reverse(),
        endedAt: iso(now, "utc"),
      };
    },
  };
}
