import type { Constructor } from "../../container/plugin-context.js";
import { EventInterest } from "../ingest/event-interest.js";
import { SegmentChangeInterest } from "../segments/segment-change-interest.js";
import { Simulator } from "../simulate/simulator.js";
import type { TimerService } from "../timers/timer-service.js";
import { BranchConditions } from "./branch-conditions.js";
import { EnrollmentWriter } from "./enrollment-writer.js";
import { JourneyEventRouter } from "./event-router.js";
import { HostResolver } from "./host-resolver.js";
import { JourneyRunner } from "./journey-runner.js";
import { JOURNEY_EVENT_TIMER, JOURNEY_INACTIVE_TIMER, JOURNEY_RUN_TIMER, JOURNEY_WAIT_TIMER, JourneyTimers } from "./journey-timers.js";
import { JourneyTriggers } from "./journey-triggers.js";
import { BranchStepHandler } from "./steps/branch.step.js";
import { EmitEventStepHandler } from "./steps/emit-event.step.js";
import { EnterJourneyStepHandler } from "./steps/enter-journey.step.js";
import { ExitStepHandler } from "./steps/exit.step.js";
import { SendStepHandler } from "./steps/send.step.js";
import { SplitStepHandler } from "./steps/split.step.js";
import { StepRegistry } from "./steps/step-registry.js";
import type { StepHandler } from "./steps/step-handler.js";
import { UpdateProfileStepHandler } from "./steps/update-profile.step.js";
import { WaitForEventStepHandler } from "./steps/wait-for-event.step.js";
import { WaitStepHandler } from "./steps/wait.step.js";
import { WebhookStepHandler } from "./steps/webhook.step.js";
import { WebhookClient } from "./webhook-client.js";

/** One handler per step type: adding a step type means adding its handler here. */
export const STEP_HANDLERS: Constructor<StepHandler>[] = [
  SendStepHandler,
  WaitStepHandler,
  WaitForEventStepHandler,
  BranchStepHandler,
  SplitStepHandler,
  UpdateProfileStepHandler,
  WebhookStepHandler,
  EmitEventStepHandler,
  EnterJourneyStepHandler,
  ExitStepHandler,
] as Constructor<StepHandler>[];

/** The journey runtime's services, built once per instance (JourneyService is listed by the engine). */
export const JOURNEY_SERVICES: Constructor<unknown>[] = [
  JourneyTimers,
  EnrollmentWriter,
  BranchConditions,
  HostResolver,
  WebhookClient,
  ...STEP_HANDLERS,
  StepRegistry,
  JourneyRunner,
  JourneyEventRouter,
  JourneyTriggers,
  Simulator,
];

/**
 * Registers what journeys listen to, and their timers. Accepted events and segment changes reach them
 * through the EventPipeline.
 */
export function wireJourneys(timers: TimerService, resolve: <T>(cls: Constructor<T>) => T): void {
  const router = resolve(JourneyEventRouter);
  const runner = resolve(JourneyRunner);
  const triggers = resolve(JourneyTriggers);
  resolve(EventInterest).register((e) => e.type === "track" && router.listensTo(e.name));
  resolve(SegmentChangeInterest).register((segmentId, change) => triggers.listensTo(segmentId, change));
  timers.handle(JOURNEY_WAIT_TIMER, (t) => runner.onTimer(t));
  timers.handle(JOURNEY_RUN_TIMER, (t) => runner.onTimer(t));
  timers.handle(JOURNEY_INACTIVE_TIMER, (t) => triggers.onInactive(t));
  timers.handle(JOURNEY_EVENT_TIMER, (t) => router.retry(t));
}
