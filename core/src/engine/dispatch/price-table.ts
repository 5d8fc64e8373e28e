import { z } from "zod";
import type { Cost } from "../../domain/message.js";

/**
 * What a provider charges per message type, declared in a channel plugin's config and returned by
 * its `prepare()`: `{ currency: "KRW", prices: { SMS: 9.9, LMS: 30, MMS: 100, BMS_TEXT: 15 } }`.
 * KRW by default, since the Korean providers bill in won.
 */
export const PriceTable = z.object({
  currency: z.string().length(3).default("KRW"),
  prices: z.record(z.string().min(1), z.number().nonnegative()).default({}),
});
export type PriceTable = z.infer<typeof PriceTable>;

/** The price of one message of `type`, or undefined when the table does not list it. */
export function priceOf(table: PriceTable, type: string): Cost | undefined {
  const amount = table.prices[type];
  return amount === undefined ? undefined : { amount, currency: table.currency };
}
