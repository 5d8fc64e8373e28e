import { z } from "zod";
import { BatchItem, IdentifyInput, TrackInput } from "@nudge/core";

/**
 * The ingest bodies. The core validates every call in full (its schemas, then the rules in
 * `settings.ingest`: no timestamp too far ahead, no JSON nested too deep), so the router parses only
 * the envelope (one parse per call, not two) and documents the core's schemas.
 */
export function ingestSchemas(maxItems: number) {
  return {
    /** Passed to the core as they come: it names every bad field. */
    call: z.unknown(),
    track: TrackInput,
    identify: IdentifyInput,
    batch: z.object({ batch: z.array(z.unknown()).min(1).max(maxItems) }),
    batchDocumented: z.object({ batch: z.array(BatchItem).min(1).max(maxItems) }),
  };
}

export const AcceptedResponse = z.object({
  /** Calls taken: stored now, or stored before under the same messageId. */
  accepted: z.number().int(),
  /** Of those, calls whose messageId was already stored: nothing new was written. */
  duplicates: z.number().int(),
});
