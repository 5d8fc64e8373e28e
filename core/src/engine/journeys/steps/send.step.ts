import { EngineTokens } from "../../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import { cappedDecision } from "../../../domain/message.js";
import type { StepOf } from "../../../domain/journey.js";
import type { NudgeOptionsResolved } from "../../options.js";
import { Dispatcher } from "../../dispatch/dispatcher.js";
import { JourneyTimers } from "../journey-timers.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

/** How long after a capped message's release the journey looks again, so the dispatcher goes first. */
const RECHECK_SLACK_MS = 1_000;
const RECHECK_DEFAULT_MS = 60 * 60_000;

/**
 * Sends through the dispatcher with the key (enrollment, step, visit): the message log refuses a second
 * message for the key, so re-running this step after a crash returns the first message instead of
 * sending again. A frequency cap's decision on the message says what the person does next.
 */
@injectable()
export class SendStepHandler implements StepHandler<"send"> {
  readonly type = "send" as const;

  constructor(
    @inject(Dispatcher) private readonly dispatcher: Dispatcher,
    @inject(JourneyTimers) private readonly timers: JourneyTimers,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
  ) {}

  async execute(step: StepOf<"send">, run: StepRun): Promise<StepOutcome> {
    const profile = await run.profile();
    if (!profile) return { kind: "exit", reason: "the person was deleted" };
    const e = run.enrollment;
    const message = await this.dispatcher.dispatch({
      profile,
      idempotencyKey: run.key,
      spec: step,
      scope: run.scope(profile),
      journey: { journeyId: e.journeyId, version: e.version, stepId: step.id, enrollmentId: e.id },
    });
    const context = { messages: { [step.id]: run.key }, lastMessage: run.key };
    if (message.status === "sending" || (message.status === "queued" && message.content === null)) {
      // Held by another worker, or left half-done by a crash: the dispatcher settles it once its
      // sending lease has run out (never sending twice), so the person waits here until then.
      const at = message.updatedAt + this.options.dispatch.sendingLeaseMs + RECHECK_SLACK_MS;
      await this.timers.scheduleStep(e, Math.max(at, run.now + RECHECK_SLACK_MS), { recheck: true }, true);
      return { kind: "park", note: `message ${message.status}, not settled yet` };
    }
    const capped = cappedDecision(message);
    if (capped?.onCapped === "exit") return { kind: "exit", reason: `frequency cap: ${capped.reason}`, context };
    if (capped?.onCapped === "wait" && message.status === "deferred") {
      // The dispatcher sends it when the cap frees up; look again just after that.
      const at = (message.notBefore ?? capped.until ?? run.now + RECHECK_DEFAULT_MS) + RECHECK_SLACK_MS;
      await this.timers.scheduleStep(e, at, { recheck: true }, true);
      return { kind: "park", note: `held by a frequency cap: ${capped.reason}` };
    }
    return { kind: "next", next: step.next, context, note: `message ${message.status}` };
  }

  /** A recheck: the same key returns the same message, now settled or still held. */
  async onTimer(step: StepOf<"send">, run: StepRun): Promise<StepOutcome> {
    return this.execute(step, run);
  }
}
