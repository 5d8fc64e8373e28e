import type { z } from "zod";
import {
  parseJourney,
  type BranchStep,
  type EmitEventStep,
  type EnterJourneyStep,
  type EntryRules,
  type ExitOn,
  type Goal,
  type JourneyDefinitionInput,
  type SendStep,
  type SplitStep,
  type UpdateProfileStep,
  type WaitForEventStep,
  type WaitStep,
  type WebhookStep,
} from "../../domain/journey.js";
import type { Trigger } from "../../domain/trigger.js";
import type { CatalogOf, EventName } from "../ingest/typed-calls.js";

type StepInput = JourneyDefinitionInput["steps"][number];
/** `next: null` ends the journey after the step; absent, the next step added follows it. */
type Linear<S extends z.ZodType> = Omit<z.input<S>, "id" | "type" | "next"> & { next?: string | null };
type Forking<S extends z.ZodType> = Omit<z.input<S>, "id" | "type">;

/**
 * A typed way to write a journey; `build()` returns the same JSON a definition file holds (validated,
 * with no defaults filled in). Linear steps (send, wait, update-profile, webhook, emit-event,
 * enter-journey) lead to the step added after them unless they name their own `next`.
 *
 * ```ts
 * journey("abandoned-cart").on("checkout_started").exitOn("order_completed")
 *   .waitForEvent("wait-order", { events: [{ event: "order_completed" }], timeout: "PT1H", onTimeout: "remind" })
 *   .send("remind", { channel: "kakao", content: { text: "..." }, marketing: true })
 *   .build();
 * ```
 *
 * `journey<MyEvents>(id)` checks the event names of `on`, `exitOn` and `goal` against the host's event
 * catalog (the one given to `createNudge<MyEvents>()`).
 */
export class JourneyBuilder<E extends object = object> {
  /** Type-only (never set): the event catalog names are checked against, read through `this` as on `Nudge`. */
  declare readonly "~events"?: E;
  private readonly def: Omit<JourneyDefinitionInput, "trigger" | "steps"> & { trigger?: z.input<typeof Trigger> };
  private readonly steps: StepInput[] = [];
  /** The last linear step, still waiting to learn which step follows it. */
  private open: { next?: string | undefined } | null = null;

  constructor(id: string) {
    this.def = { id };
  }

  name(name: string): this {
    this.def.name = name;
    return this;
  }

  trigger(trigger: z.input<typeof Trigger>): this {
    this.def.trigger = trigger;
    return this;
  }

  /** An event trigger, optionally filtered by properties. */
  on<B extends JourneyBuilder>(this: B, event: EventName<CatalogOf<B>>, where?: Extract<z.input<typeof Trigger>, { type: "event" }>["where"]): B {
    return this.trigger({ type: "event", event, ...(where ? { where } : {}) });
  }

  entry(rules: z.input<typeof EntryRules>): this {
    this.def.entry = rules;
    return this;
  }

  exitOn<B extends JourneyBuilder>(this: B, event: EventName<CatalogOf<B>>, where?: z.input<typeof ExitOn>["where"]): B {
    this.def.exitOn = [...(this.def.exitOn ?? []), { event, ...(where ? { where } : {}) }];
    return this;
  }

  goal<B extends JourneyBuilder>(this: B, goal: Omit<z.input<typeof Goal>, "event"> & { event: EventName<CatalogOf<B>> }): B {
    this.def.goal = goal;
    return this;
  }

  send(id: string, options: Linear<typeof SendStep>): this {
    return this.linear({ id, type: "send", ...options });
  }

  wait(id: string, options: Linear<typeof WaitStep>): this {
    return this.linear({ id, type: "wait", ...options });
  }

  updateProfile(id: string, options: Linear<typeof UpdateProfileStep>): this {
    return this.linear({ id, type: "update-profile", ...options });
  }

  webhook(id: string, options: Linear<typeof WebhookStep>): this {
    return this.linear({ id, type: "webhook", ...options });
  }

  emitEvent(id: string, options: Linear<typeof EmitEventStep>): this {
    return this.linear({ id, type: "emit-event", ...options });
  }

  enterJourney(id: string, options: Linear<typeof EnterJourneyStep>): this {
    return this.linear({ id, type: "enter-journey", ...options });
  }

  waitForEvent(id: string, options: Forking<typeof WaitForEventStep>): this {
    return this.fork({ id, type: "wait-for-event", ...options });
  }

  branch(id: string, options: Forking<typeof BranchStep>): this {
    return this.fork({ id, type: "branch", ...options });
  }

  split(id: string, options: Forking<typeof SplitStep>): this {
    return this.fork({ id, type: "split", ...options });
  }

  exit(id: string, reason?: string): this {
    return this.fork({ id, type: "exit", ...(reason === undefined ? {} : { reason }) });
  }

  /** The definition as JSON; throws ValidationError naming the step and field when it is not valid. */
  build(): JourneyDefinitionInput {
    const out = { ...this.def, steps: this.steps } as JourneyDefinitionInput;
    parseJourney(out);
    return structuredClone(out);
  }

  private linear(step: { id: string; next?: string | null | undefined; [field: string]: unknown }): this {
    const { next, ...rest } = step;
    const added = (next === undefined || next === null ? rest : { ...rest, next }) as StepInput & { next?: string };
    this.add(added);
    this.open = next === undefined ? added : null;
    return this;
  }

  private fork(step: StepInput): this {
    this.add(step);
    this.open = null;
    return this;
  }

  private add(step: StepInput): void {
    if (this.open) this.open.next = step.id;
    this.steps.push(step);
  }
}

/**
 * Starts a journey definition: `journey("welcome").on("signed_up").send(...).build()`; with the host's
 * event catalog, `journey<MyEvents>("welcome")`, its event names are checked.
 */
export function journey<E extends object = object>(id: string): JourneyBuilder<E> {
  return new JourneyBuilder<E>(id);
}
