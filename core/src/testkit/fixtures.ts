import { randomUUID } from "node:crypto";
import { newProfile, type Profile } from "../domain/profile.js";
import type { NudgeEvent } from "../domain/event.js";
import type { Enrollment, JourneyDefinition } from "../domain/journey.js";
import type { Message } from "../domain/message.js";

/** Builders for records the conformance suites write; every field a backend must round-trip is set. */
export function aProfile(ws: string, over: Partial<Profile> = {}): Profile {
  return { ...newProfile(ws, randomUUID(), 1_000), ...over };
}

export function anEvent(ws: string, profileId: string, over: Partial<NudgeEvent> = {}): NudgeEvent {
  return {
    workspaceId: ws,
    id: randomUUID(),
    messageId: randomUUID(),
    type: "track",
    name: "purchase",
    profileId,
    userId: null,
    anonymousId: null,
    properties: {},
    context: {},
    timestamp: 1_000,
    receivedAt: 1_000,
    processedAt: null,
    ...over,
  };
}

export function aJourney(id: string): JourneyDefinition {
  return {
    id,
    trigger: { type: "event", event: "signed_up" },
    entry: { reentry: "always", allowConcurrent: false },
    exitOn: [],
    steps: [{ id: "hello", type: "send", channel: "sandbox", content: { text: "hi" }, fallback: [], marketing: false }],
  };
}

export function anEnrollment(ws: string, profileId: string, over: Partial<Enrollment> = {}): Enrollment {
  return {
    workspaceId: ws,
    id: randomUUID(),
    journeyId: "welcome",
    version: 1,
    profileId,
    state: "active",
    stepId: "hello",
    visit: 1,
    context: { trigger: { name: "signed_up" } },
    enteredAt: 1_000,
    updatedAt: 1_000,
    endedAt: null,
    exitReason: null,
    convertedAt: null,
    rev: 0,
    ...over,
  };
}

export function aMessage(ws: string, profileId: string, over: Partial<Message> = {}): Message {
  return {
    workspaceId: ws,
    id: randomUUID(),
    idempotencyKey: randomUUID(),
    profileId,
    journeyId: "welcome",
    journeyVersion: 1,
    stepId: "hello",
    enrollmentId: null,
    channels: ["sms", "email"],
    channel: "sms",
    marketing: true,
    topic: null,
    status: "queued",
    recipient: "+821012345678",
    content: { sms: { text: "안녕하세요" } },
    attempts: [],
    decisions: [],
    notBefore: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    sentAt: null,
    ...over,
  };
}
