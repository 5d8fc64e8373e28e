import type { HealthCheck, StorageStores } from "@nudge/core";

/** The SQL plugins always have a readiness probe. Registration itself is core's `registerStores`. */
export interface Stores extends StorageStores {
  health: HealthCheck;
}
