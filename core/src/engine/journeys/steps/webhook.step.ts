import { EngineTokens } from "../../engine-tokens.js";
import { Duration } from "luxon";
import { inject, injectable } from "tsyringe";
import type { StepOf } from "../../../domain/journey.js";
import type { Logger } from "../../../ports/logger.js";
import { Tokens } from "../../../tokens.js";
import type { TemplateRenderer } from "../../../template/renderer.js";
import { backoffDelay } from "../../dispatch/backoff.js";
import type { NudgeOptionsResolved } from "../../options.js";
import { ctx } from "../enrollment-context.js";
import { JourneyTimers } from "../journey-timers.js";
import { WebhookClient, type WebhookAnswer } from "../webhook-client.js";
import type { StepHandler, StepOutcome, StepRun } from "./step-handler.js";

interface Ledger {
  state: "calling" | "retry";
  attempt: number;
}

/**
 * POSTs JSON. Before each call the attempt is written to the enrollment's ledger; a run that finds an
 * attempt still "calling" was interrupted after the request may have landed, so it is not repeated
 * (at most once, like a paid message). Retries wait on the step's durable timer, not in memory.
 */
@injectable()
export class WebhookStepHandler implements StepHandler<"webhook"> {
  readonly type = "webhook" as const;

  constructor(
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(EngineTokens.TemplateRenderer) private readonly renderer: TemplateRenderer,
    @inject(Tokens.Logger) private readonly logger: Logger,
    @inject(WebhookClient) private readonly client: WebhookClient,
    @inject(JourneyTimers) private readonly timers: JourneyTimers,
  ) {}

  async execute(step: StepOf<"webhook">, run: StepRun): Promise<StepOutcome> {
    const ledger = ctx(run.enrollment).effects?.[run.key] as Ledger | undefined;
    if (ledger?.state === "calling") {
      this.logger.warn({ enrollmentId: run.enrollment.id, stepId: step.id }, "webhook call interrupted; not repeated");
      return this.after(step, { ok: false, status: null, error: "interrupted by a restart; not repeated", retryable: false });
    }
    return this.call(step, run, (ledger?.attempt ?? 0) + 1);
  }

  /** A retry falls due. */
  async onTimer(step: StepOf<"webhook">, run: StepRun): Promise<StepOutcome> {
    return this.execute(step, run);
  }

  private async call(step: StepOf<"webhook">, run: StepRun, attempt: number): Promise<StepOutcome> {
    const profile = await run.profile();
    if (!profile) return { kind: "exit", reason: "the person was deleted" };
    const scope = run.scope(profile);
    const body = step.body ? await this.renderer.render(step.body, scope) : { profileId: profile.id, journey: scope.journey };
    const headers = step.headers ? await this.renderer.render(step.headers, scope) : {};
    await run.remember({ effects: { [run.key]: { state: "calling", attempt } satisfies Ledger } });
    const answer = await this.client.post({
      stepId: step.id,
      url: step.url,
      body,
      headers,
      timeoutMs: Duration.fromISO(step.timeout).toMillis(),
      idempotencyKey: run.key,
    });
    if (!answer.ok && answer.retryable && attempt <= step.retries) {
      await run.remember({ effects: { [run.key]: { state: "retry", attempt } satisfies Ledger } });
      const { retryBaseMs, retryMaxMs } = this.options.journeys.webhooks;
      await this.timers.scheduleStep(run.enrollment, run.now + backoffDelay(attempt, { baseMs: retryBaseMs, maxMs: retryMaxMs }), { retry: attempt }, true);
      return { kind: "park", note: `attempt ${attempt} failed (${answer.status ?? answer.error}); retrying` };
    }
    return this.after(step, answer);
  }

  private after(step: StepOf<"webhook">, answer: WebhookAnswer): StepOutcome {
    const result = { status: answer.status, ...(answer.body === undefined ? {} : { body: answer.body }), ...(answer.error ? { error: answer.error } : {}) };
    const context = { webhooks: { [step.id]: result } };
    if (answer.ok) return { kind: "next", next: step.next, context, note: `HTTP ${answer.status}` };
    return { kind: "next", next: step.onFailure ?? step.next, context, note: `failed: ${answer.status ?? answer.error}` };
  }
}
