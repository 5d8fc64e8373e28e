/**
 * @nudge/core: the domain types, the ports plugins provide, the plugin contract (`definePlugin`),
 * `createNudge` and the `Nudge` facade. The engine behind the facade is private; conformance kits
 * for plugin authors are at `@nudge/core/testkit`.
 */
import "reflect-metadata";

// Domain: profiles, events, segments, triggers, journeys, messages, templates (types and zod schemas).
export * from "./domain/index.js";
// Ports: what plugins provide (stores, queue, channels, providers, policies, trigger sources, clock, logger).
export * from "./ports/index.js";
export { token, tokenInfo, Tokens, StoragePorts, type Token, type TokenInfo } from "./tokens.js";
export * from "./errors.js";

// The plugin contract.
export * from "./plugin.js";
export type { PluginContext, Constructor } from "./container/plugin-context.js";
export { assertInjectable } from "./container/check-injection.js";
// Channel and provider plugins call their vendors through it, so every vendor maps network failures, 429 and 5xx alike.
export { vendorRequest, type VendorAnswer, type VendorRequestInit } from "./http/vendor-http.js";
export { SandboxFailure, SandboxProviderConfig } from "./sandbox/sandbox-provider.js";
export { sandboxProvider, type SandboxProviderInput } from "./sandbox/sandbox-provider.plugin.js";
export { sandboxChannel, type TextContent } from "./sandbox/sandbox-channel.js";
export type { SandboxOutbox, SandboxRecord } from "./sandbox/sandbox-outbox.js";
export type { LinkService, LinkKind } from "./links/link-service.js";
export { LinkSettings, LinkPayload } from "./links/link-service.js";
// Storage plugins filter events and back off the same way.
export { matchesFilters, compare, readPath } from "./engine/compare.js";
export { backoffDelay } from "./engine/dispatch/backoff.js";

// Built-in policies, registered with `policies({...})`.
export * from "./policies/index.js";

// The instance and its facade.
export { createNudge, type NudgeOptions } from "./engine/create-nudge.js";
export { Nudge } from "./engine/nudge.js";
export type { EngineSettingsInput } from "./engine/options.js";
export type { Hooks, HookEvents, HookName } from "./engine/hooks.js";
export type { Accepted } from "./engine/ingest/ingest-service.js";
export type { BatchCall, CatalogOf, EventName, IdentifyCall, TrackCall } from "./engine/ingest/typed-calls.js";
export type { JourneyService, LiveJourney } from "./engine/journeys/journey-service.js";
export type { ProfileService, IdentityRef } from "./engine/profiles/profile-service.js";
export type { SegmentService } from "./engine/segments/segment-service.js";
export type { TemplateLibrary, TemplatePreview, TemplatePreviewInput } from "./engine/facade/template-library.js";
export type { MessageReader } from "./engine/facade/message-reader.js";
export type { WebhookInbox } from "./engine/facade/webhook-inbox.js";
export type { SystemStatus } from "./engine/facade/system-status.js";
export type { CustomerView, EnrollmentSummary, MessageSummary } from "./engine/profiles/customer-view.js";
export type { ErasureReport } from "./engine/profiles/profile-eraser.js";
export type { AudienceEstimate, AudiencePreview } from "./engine/segments/audience-estimator.js";
export type { CostQuery, CostSummary, CostLine, JourneyCost } from "./engine/dispatch/cost-report.js";
export type { SendRequestInput } from "./engine/dispatch/direct-send.js";
export type { JourneyStepRecord, StepVia } from "./engine/journeys/step-record.js";
export type { SimulateOptions, SimulatedMessage, SimulatedStep, SimulationInput, SimulationResult } from "./engine/simulate/simulation.js";
export { journey, type JourneyBuilder } from "./engine/journeys/journey-builder.js";
export { profileScope } from "./engine/journeys/scope.js";
