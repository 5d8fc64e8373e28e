import type { DeliveryReport } from "@nudge/core";

/** Solapi message status codes: 2000 accepted, 3000 handed to the carrier, 4000 delivered, any other failed. */
export function solapiReportStatus(code: string): DeliveryReport["status"] {
  if (code === "4000") return "delivered";
  if (code === "2000" || code === "3000") return "sent";
  return "failed";
}
