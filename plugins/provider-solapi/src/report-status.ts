import type { DeliveryReport } from "@nudge/core";
import { solapiOutcome } from "./status-codes.js";

/**
 * A Solapi status code as a delivery report status (table in status-codes.ts): 4000 delivered, 2000/3000 still
 * on the way, every other code a final failure. A report arrives after the fact, so a code that would defer or
 * retry at send time (3108 outside hours, 3043 handset off) is a failure of that message here.
 */
export function solapiReportStatus(code: string): DeliveryReport["status"] {
  const outcome = solapiOutcome(code);
  if (outcome === "delivered") return "delivered";
  if (outcome === "pending") return "sent";
  return "failed";
}
