import { describeStorageConformance } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";

describeStorageConformance("memory", () => storageMemory());
