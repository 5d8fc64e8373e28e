import { z } from "zod";
import { JsonRecord } from "./common.js";

/** A stored template: content for one channel whose string fields are Liquid. */
export const TemplateDefinition = z.object({
  id: z.string().min(1).max(200),
  channel: z.string().min(1),
  content: JsonRecord,
  description: z.string().optional(),
});
export type TemplateDefinition = z.infer<typeof TemplateDefinition>;
