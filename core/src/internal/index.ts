/**
 * Engine internals for this repository's benchmarks and white-box tests. Not part of the public API:
 * not covered by the API report, and free to change in any release. Plugins and hosts never import it
 * (the dependency rules refuse it).
 */
import "reflect-metadata";
import type { Nudge } from "../engine/nudge.js";
import type { Token } from "../tokens.js";
import { Dispatcher } from "../engine/dispatch/dispatcher.js";
import { EngineTokens } from "../engine/engine-tokens.js";
import type { TemplateRenderer } from "../template/renderer.js";

export { Dispatcher, type DispatchRequest, type SendSpec } from "../engine/dispatch/dispatcher.js";
export { TemplateRenderer, TemplateAbort } from "../template/renderer.js";

/** The dispatcher of an instance. */
export function dispatcherOf(nudge: Nudge): Dispatcher {
  return nudge.resolve(Dispatcher as unknown as Token<Dispatcher>);
}

/** The template renderer of an instance. */
export function rendererOf(nudge: Nudge): TemplateRenderer {
  return nudge.resolve(EngineTokens.TemplateRenderer);
}
