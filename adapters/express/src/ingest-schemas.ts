import { z } from "zod";
import { BatchItem, IdentifyInput, TrackInput, type BatchCall, type IdentifyCall, type TrackCall } from "@nudge/core";

/**
 * A body handed to the core as it comes, typed as the call it becomes: the core parses it in full (its zod
 * schema, then the ingest rules) and names every bad field, so checking it here too would parse it twice.
 */
const unparsed = <T>() => z.custom<T>(() => true);

/**
 * The ingest bodies. The core validates every call in full (its schemas, then the rules in
 * `settings.ingest`: no timestamp too far ahead, no JSON nested too deep), so the router parses only
 * the envelope (one parse per call, not two) and documents the core's schemas.
 */
export function ingestSchemas(maxItems: number) {
  return {
    trackCall: unparsed<TrackCall>(),
    identifyCall: unparsed<IdentifyCall>(),
    /** What the OpenAPI document shows: the core's own schemas (identify's `contacts` included). */
    track: TrackInput,
    identify: IdentifyInput,
    batch: z.object({ batch: z.array(unparsed<BatchCall>()).min(1).max(maxItems) }),
    batchDocumented: z.object({ batch: z.array(BatchItem).min(1).max(maxItems) }),
  };
}

export const AcceptedResponse = z.object({
  /** Calls taken: stored now, or stored before under the same messageId. */
  accepted: z.number().int(),
  /** Of those, calls whose messageId was already stored: nothing new was written. */
  duplicates: z.number().int(),
});
