import { token } from "../tokens.js";
import type { ChannelRegistry } from "./channel-registry.js";
import type { Hooks } from "./hooks.js";
import type { NudgeOptionsResolved } from "./options.js";
import type { TemplateRenderer } from "../template/renderer.js";

/** The engine's own services and settings: not part of the plugin contract. */
export const EngineTokens = {
  Options: token<NudgeOptionsResolved>("Options"),
  Hooks: token<Hooks>("Hooks"),
  TemplateRenderer: token<TemplateRenderer>("TemplateRenderer"),
} as const;

/** Tokens the engine uses internally; plugins never need them. */
export const ChannelRegistryToken = token<ChannelRegistry>("ChannelRegistry");
import type { Policy } from "../ports/policy.js";

/** The policies of the instance, sorted by order (core ones and plugins'). */
export const PoliciesToken = token<Policy[]>("Policies");
import type { PluginRuntime } from "./plugin-runtime.js";
import type { InstanceContainer } from "../container/plugin-context.js";

export const PluginRuntimeToken = token<PluginRuntime>("PluginRuntime");
export const InstanceContainerToken = token<InstanceContainer>("InstanceContainer");

/** Job queued when a person enters or leaves a segment: `data` is a SegmentChange. */
export const SEGMENT_CHANGED_JOB = "segment.changed";
export interface SegmentChange {
  segmentId: string;
  profileId: string;
  change: "entered" | "exited";
  at: number;
}
