import { token } from "../tokens.js";
import type { ChannelRegistry } from "./channel-registry.js";

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
