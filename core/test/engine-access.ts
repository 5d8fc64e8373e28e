import type { Nudge, Token } from "@nudge/core";
import { Dispatcher } from "../src/engine/dispatch/dispatcher.js";

/** White-box tests reach an engine service of an instance; hosts and plugins cannot (the engine is not exported). */
export function dispatcherOf(nudge: Nudge): Dispatcher {
  return nudge.resolve(Dispatcher as unknown as Token<Dispatcher>);
}
