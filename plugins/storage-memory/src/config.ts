import { z } from "zod";

/** storage-memory takes no settings; an empty object (or nothing) is the whole config. */
export const MemoryStorageConfig = z.object({}).strict();
export type MemoryStorageConfig = z.infer<typeof MemoryStorageConfig>;
