import { EventEmitter } from "node:events";
import type { NudgeEvent } from "../domain/event.js";
import type { Message } from "../domain/message.js";
import type { Enrollment } from "../domain/journey.js";
import type { SandboxRecord } from "../sandbox/sandbox-outbox.js";
import type { JourneyStepRecord } from "./journeys/enrollment-writer.js";

/** What an instance tells its host and its plugins about, synchronously after the fact is stored. */
export interface HookEvents {
  "event.accepted": NudgeEvent;
  "message.updated": Message;
  "enrollment.updated": Enrollment;
  /** A journey step ran for one person: which, why now, and what it decided. */
  "journey.step": JourneyStepRecord;
  "segment.entered": { workspace: string; segmentId: string; profileId: string; at: number };
  "segment.exited": { workspace: string; segmentId: string; profileId: string; at: number };
  "sandbox.message": SandboxRecord;
}

export type HookName = keyof HookEvents;

/** A typed event emitter, one per instance. A throwing listener is logged by the caller, never rethrown. */
export class Hooks {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  on<K extends HookName>(name: K, listener: (payload: HookEvents[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  emit<K extends HookName>(name: K, payload: HookEvents[K]): void {
    for (const l of this.emitter.listeners(name)) {
      try {
        (l as (p: HookEvents[K]) => void)(payload);
      } catch {
        // A host's listener must not break the engine.
      }
    }
  }
}
